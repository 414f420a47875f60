"""xdd crawler: Scrapy spiders and item pipelines producing clean article records."""
