//! The keyboard shortcuts of the help overlay, as a pure mapping from a key to a command.

use quorum_engine::sim::action::Action;
use wasm_bindgen::JsCast;

use crate::state::{DiagramCmd, LabAction, Tool, Ui, SPEED_MAX, SPEED_MIN};

/// What a key asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum KeyCommand {
    /// An action for the reducer.
    Lab(LabAction),
    /// Switch the dark / light theme.
    Theme,
    /// Open the help.
    Help,
    /// Close dialogs and menus, back to the inspect tool.
    Escape,
}

/// The command of `key` given the user's choices (speed and tool), if it has one.
pub fn key_command(key: &str, ui: &Ui) -> Option<KeyCommand> {
    let action = match key {
        " " => LabAction::TogglePlay,
        "ArrowRight" => LabAction::Step,
        "ArrowLeft" => LabAction::StepBack,
        "+" | "=" => LabAction::Speed((ui.speed * 2.0).min(SPEED_MAX)),
        "-" | "_" => LabAction::Speed((ui.speed / 2.0).max(SPEED_MIN)),
        "p" | "P" => LabAction::Tool(if ui.tool == Tool::Partition {
            Tool::Inspect
        } else {
            Tool::Partition
        }),
        "h" | "H" => LabAction::Act(Action::Heal),
        "m" | "M" => LabAction::ToggleMetrics,
        "d" | "D" => LabAction::Diagram(DiagramCmd::Toggle),
        "l" | "L" => LabAction::Diagram(DiagramCmd::ToggleHistory),
        "t" | "T" => return Some(KeyCommand::Theme),
        "?" => return Some(KeyCommand::Help),
        "Escape" => return Some(KeyCommand::Escape),
        _ => return None,
    };
    Some(KeyCommand::Lab(action))
}

/// True when the key goes to a text field or comes with a modifier, not to the shortcuts.
pub fn typing(e: &web_sys::KeyboardEvent) -> bool {
    let tag = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| el.tag_name())
        .unwrap_or_default();
    matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || e.ctrl_key()
        || e.meta_key()
        || e.alt_key()
}

#[cfg(test)]
mod tests {
    use quorum_engine::lab::Setup;

    use super::*;

    #[test]
    fn keys_map_to_the_shortcuts_of_the_help() {
        let mut ui = Ui::new(Setup::default());
        let lab = |a| Some(KeyCommand::Lab(a));
        assert_eq!(key_command(" ", &ui), lab(LabAction::TogglePlay));
        assert_eq!(key_command("+", &ui), lab(LabAction::Speed(0.04)));
        assert_eq!(key_command("p", &ui), lab(LabAction::Tool(Tool::Partition)));
        ui.tool = Tool::Partition;
        assert_eq!(key_command("P", &ui), lab(LabAction::Tool(Tool::Inspect)));
        ui.speed = SPEED_MIN;
        assert_eq!(key_command("-", &ui), lab(LabAction::Speed(SPEED_MIN)));
        assert_eq!(key_command("?", &ui), Some(KeyCommand::Help));
        assert_eq!(key_command("Escape", &ui), Some(KeyCommand::Escape));
        assert_eq!(key_command("m", &ui), lab(LabAction::ToggleMetrics));
        let diagram = LabAction::Diagram(DiagramCmd::Toggle);
        assert_eq!(key_command("d", &ui), lab(diagram));
        let history = LabAction::Diagram(DiagramCmd::ToggleHistory);
        assert_eq!(key_command("L", &ui), lab(history));
        assert_eq!(key_command("x", &ui), None);
    }
}
