"""The Qt-free use cases shared by the window and the command line."""
