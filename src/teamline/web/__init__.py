"""Server-rendered pages (Jinja2) and static assets: sign-in and the start page for each role."""
