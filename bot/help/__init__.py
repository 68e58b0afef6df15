"""Help articles (Kindle and other topics) kept as data in data/knowledge/, and their search."""
