"""The favicon: an SVG linked from every page, and /favicon.ico for browsers that ask anyway."""

from django.templatetags.static import static


def test_favicon_ico_redirects_to_the_svg(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("mediation/favicon.svg")


def test_every_page_links_the_svg_favicon(client, db):
    page = client.get("/accounts/login/").content.decode()
    icon = static("mediation/favicon.svg")
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in page
