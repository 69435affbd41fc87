//! The app's panels, one component a file. Each takes only what it shows, as props deriving
//! `PartialEq`, and reports what the user does through `on<verb>` callbacks. None reads the state
//! or the run; from the engine crate they use only static tables (protocols, scenarios, options)
//! and formatting helpers. (The diagram panel is handed the run's space-time diagram, read-only,
//! to say what is under the pointer.)

pub mod acceptors;
pub mod alert;
pub mod class_menu;
pub mod compare;
pub mod compare_actions;
pub mod compare_picker;
pub mod compare_table;
pub mod controls;
pub mod diagram;
pub mod embed_dialog;
pub mod event_log;
pub mod exercise_panel;
pub mod help;
pub mod history;
pub mod inspector;
pub mod invariants;
pub mod lab_canvas;
pub mod log_grid;
pub mod message_menu;
pub mod metrics;
pub mod metrics_chart;
pub mod node_menu;
pub mod recovery_bars;
pub mod settings;
pub mod story;
pub mod timeline;
pub mod tools;
pub mod topbar;
pub mod tour_panel;
pub mod tradeoff;
