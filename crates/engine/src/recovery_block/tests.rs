//! Recovery-block node by node, without the network.
