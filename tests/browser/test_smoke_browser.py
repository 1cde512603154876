"""The example site opens in real headless Chromium over HTTP and from file://."""


def test_home_opens_over_http(browser, example_url):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(example_url + "index.html")
    assert "示例市民政局" in page.title()
    assert page.locator("h1").first.inner_text().startswith("示例市民政局")
    assert errors == []
    page.close()


def test_document_page_from_file_url(browser, example_site):
    page = browser.new_page()
    page.goto((example_site / "documents" / "szmz-2024-3.html").as_uri())
    assert page.locator("h1.gk-doc-title").inner_text() == "示例市最低生活保障审核确认办法"
    # the relative link back to a column works from file://
    page.locator("nav.gk-breadcrumb a").nth(1).click()
    page.wait_for_load_state()
    assert page.locator("h1.gk-title").inner_text() == "法定主动公开内容"
    page.close()


def test_column_cards_are_laid_out_as_a_grid(browser, example_url):
    """Material's own list styles must not win over the column cards (bullets, one long column)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(example_url + "index.html")
    cards = page.locator("ul.gk-children").first
    assert cards.evaluate("e => getComputedStyle(e).display") == "grid"
    assert cards.locator("> li").first.evaluate("e => getComputedStyle(e).listStyleType") == "none"
    boxes = [li.bounding_box() for li in cards.locator("> li").all()[:2]]
    assert boxes[0]["y"] == boxes[1]["y"], "the first two cards sit side by side"
    page.close()
