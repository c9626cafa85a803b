// Scenario loader: being written (see docs/scenario-format.md).
