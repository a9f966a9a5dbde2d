"""dipkg: news articles in, a knowledge graph of diplomatic meetings, visits and calls out."""

__version__ = "0.1.0"
