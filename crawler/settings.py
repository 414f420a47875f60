"""Scrapy settings: polite defaults in one place (see docs.scrapy.org/en/latest/topics/settings.html)."""
from __future__ import annotations

BOT_NAME = "xdd"
SPIDER_MODULES = ["crawler.spiders"]
USER_AGENT = "xdd/0.1 (+https://github.com/xdd-project/xdd; research crawler)"

ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
CONCURRENT_ITEMS = 8                 # items per response in parallel (pipelines are synchronous; 100 = 100 tasks/response)
DOWNLOAD_DELAY = 1.0                 # >= 1 s between requests to one site
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY_JITTER = 0.0         # no random delays below the floor (the downloader keeps the floor anyway)
DOWNLOAD_TIMEOUT = 30                # the whole download, body included
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024   # larger pages are cancelled while downloading (`too_large`)
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
RETRY_TIMES = 1
RETRY_HTTP_CODES = [500, 502, 504, 522, 524, 408]   # 403/429/503 go to the circuit breaker
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "WARNING"
LOG_FORMATTER = "crawler.extensions.QuietDropsLogFormatter"   # skips go to the skip log, not the console
DEPTH_LIMIT = 0
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
DOWNLOADER = "crawler.downloader.Downloader"   # enforces CONCURRENT_REQUESTS_PER_DOMAIN on zero-delay slots

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.CircuitBreakerMiddleware": 95,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.LoopAwareRedirectMiddleware": 600,
    "crawler.middlewares.PolitenessMiddleware": 960,
}
ITEM_PIPELINES = {
    "crawler.item_pipelines.ValidatePipeline": 100,
    "crawler.item_pipelines.NormalisePipeline": 200,
    "crawler.item_pipelines.IncrementalPipeline": 300,
    "crawler.item_pipelines.DedupPipeline": 400,
    "crawler.item_pipelines.NearDuplicatePipeline": 500,
    "crawler.item_pipelines.RawStorePipeline": 600,
    "crawler.item_pipelines.JsonlWriterPipeline": 700,
}
EXTENSIONS = {
    "crawler.extensions.SkipLog": 100,
    "crawler.extensions.Progress": 110,
}
XDD_CIRCUIT_THRESHOLD = 3
XDD_SIMHASH_DISTANCE = 6
XDD_POLITE = True
XDD_HOSTS = {}                       # host → IP overrides (tests: a non-loopback name for a local server)
TWISTED_DNS_RESOLVER = "crawler.resolver.MappedResolver"
XDD_PROGRESS = False
