"""No page, feed or export shows an e-mail or IP address that an input file held."""

from urllib.parse import quote


def every_page(client) -> list[str]:
    data = client.get("/api/search?per_page=100").get_json()
    urls = [
        "/?per_page=100",
        "/export.csv",
        "/export.json",
        "/feed.atom",
        "/api/search?per_page=100",
    ]
    urls += [f"/article/{a['value']}" for a in data["facets"]["article"]]
    urls += [f"/api/article/{a['value']}" for a in data["facets"]["article"]]
    urls += [f"/author/{quote(a['value'], safe='')}" for a in data["facets"]["author"]]
    return urls


def test_no_page_shows_an_address_from_the_files(mixed_client, mixed_addresses):
    leaks = []
    for url in every_page(mixed_client):
        response = mixed_client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        leaks += [(url, address) for address in mixed_addresses if address in text]
    assert leaks == []

