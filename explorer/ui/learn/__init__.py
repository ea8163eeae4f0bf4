"""The Learn panel: the practice server's lessons inside the window, with their tries as
buttons. Imports only `ui/widgets` (like the runner); the window composes it and is seen
through `learn_dock.LearnHost`."""
