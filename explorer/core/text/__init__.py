"""Response bodies as text: detecting, formatting, folding and laying out content."""
