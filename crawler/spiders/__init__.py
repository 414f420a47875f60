"""Scrapy spiders: one per source, on a shared base."""
