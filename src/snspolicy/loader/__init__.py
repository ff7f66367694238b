"""Loading files into documents that remember where every value came from."""
