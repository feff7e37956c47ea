"""Reports built on assessments: the Japan lineup, side-by-side comparisons."""
