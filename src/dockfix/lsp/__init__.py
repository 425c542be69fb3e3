"""`dockfix server`: a language server over stdio (pygls), on the same core
(`dockfix.core`) as the command line and the stdin path."""
