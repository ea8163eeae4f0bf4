"""The lessons inside the window: the practice server's lesson text read without the
server (`catalogue`), and what a learner has read and tried (`progress`). Qt-free."""
