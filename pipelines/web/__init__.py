"""`xdd serve`: a read-only web interface over the knowledge base (Starlette + Jinja2, server-side
rendered, charts and maps as server-side SVG; nothing fetched from elsewhere). The app is
pipelines.web.app.create_app."""
