# experiments/: (see DESIGN.md); sources are listed here as they arrive.
