"""Views of results for people: text tables shared by the CLI and the Python objects."""
