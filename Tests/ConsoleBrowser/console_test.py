"""Drives cadang serve's console in headless Chromium (Debian's chromium, chromium-driver and
python3-selenium), as a manager would: log in, filter "Missing on Server", choose orders, preview
the import, confirm, see the states change; clean up with a preview; the dashboard's charts; a
payload full of markup shown as text everywhere; CSRF and sessions enforced.

Usage: /usr/bin/python3 console_test.py URL TOKEN SCREENSHOT_DIR JSON_ARGS
Prints one JSON object: {"checks": {name: true|false|detail}, "console_errors": [...]}.
Exits 0 when it ran to the end (the Swift test judges the checks), 2 when it could not run.
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

from selenium.common.exceptions import WebDriverException
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

url, token, shots, args = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
chosen, hostile = args["chosen"], args["hostile"]
checks = {}
errors = []


def check(name, value):
    checks[name] = value


def browser(language):
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                 f"--lang={language}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def collect_errors(driver, page):
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE":
            errors.append(f"{page}: {entry.get('message')}")


def visit(driver, path, page):
    driver.get(url + path)
    collect_errors(driver, page)


def is_gone(element):
    """Whether the page `element` belonged to was replaced. chromedriver sometimes answers a
    replaced node with "Node with given id does not belong to the document" (a plain
    WebDriverException) instead of a stale-element error: both mean the old page is gone."""
    try:
        element.tag_name
        return False
    except WebDriverException:
        return True


def follow(driver, element, page):
    """Clicks a link or button that loads a page, and waits until the new page is there."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 30).until(lambda d: is_gone(old))
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    collect_errors(driver, page)


def shot(driver, name):
    os.makedirs(shots, exist_ok=True)
    driver.save_screenshot(os.path.join(shots, name + ".png"))


def markup_is_text(driver, page):
    """No element a payload could have made, and the markup visible as text."""
    injected = driver.execute_script("""
        return {
          xss: window.__xss || null,
          img: document.querySelectorAll('img[onerror], img[src="x"]').length,
          scripts: Array.from(document.scripts).filter(s => !s.src.endsWith('/assets/console.js')).length,
          bold: document.querySelectorAll('#receipt-bold').length,
        };""")
    text = driver.find_element(By.TAG_NAME, "body").text
    check(f"{page}: no element from the payload", injected == {"xss": None, "img": 0, "scripts": 0, "bold": 0} or injected)
    return text


driver = browser("en")
try:
    # Without a session every page sends the browser to the login.
    visit(driver, "/sources/pos/orders", "redirect")
    check("a page without a session redirects to login", driver.current_url.endswith("/login"))
    driver.find_element(By.ID, "token").send_keys("wrong-token-1234567890")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "#login button"), "login")
    check("a wrong token is refused", driver.current_url.endswith("/login") and "not the manager token" in driver.page_source)
    shot(driver, "console-login")
    driver.find_element(By.ID, "token").send_keys(token)
    follow(driver, driver.find_element(By.CSS_SELECTOR, "#login button"), "login")
    check("login lands on the backups page", driver.current_url == url + "/" and driver.find_element(By.ID, "sets") is not None)
    cookie = driver.get_cookie("cadang_session")
    check("session cookie is HttpOnly and SameSite=Strict", bool(cookie) and cookie.get("httpOnly") is True and cookie.get("sameSite") == "Strict")
    collect_errors(driver, "sets")
    follow(driver, driver.find_element(By.ID, "verify-now"), "verify")
    collect_errors(driver, "sets verified")
    verify_cells = [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "#sets td.verify")]
    check("the sets page shows each job's verify result", len(verify_cells) >= 1 and all(cell.startswith("ok") for cell in verify_cells) or verify_cells)
    jobs = [row.get_attribute("data-job") for row in driver.find_elements(By.CSS_SELECTOR, "#sets tr[data-job]")]
    check("the sets page lists every job with a set", sorted(jobs) == sorted(args["jobs"]) or jobs)
    shot(driver, "console-sets")

    # Missing on Server, two orders chosen, preview, confirm.
    visit(driver, "/sources/pos/orders", "orders")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "a[data-preset=missing]"), "preset")
    collect_errors(driver, "orders missing")
    missing = [box.get_attribute("value") for box in driver.find_elements(By.CSS_SELECTOR, "input[name=key]")]
    check("Missing on Server lists the missing orders", sorted(missing) == sorted(args["missing"]) or missing)
    badges = {badge.text for badge in driver.find_elements(By.CSS_SELECTOR, "#orders .badge")}
    check("state badges are shown", badges == {"synced"} or sorted(badges))
    tone = driver.find_element(By.CSS_SELECTOR, "#orders .badge").get_attribute("class")
    check("the synced badge has its colour", tone == "badge info" or tone)
    shot(driver, "console-orders-missing")
    for key in chosen:
        driver.find_element(By.CSS_SELECTOR, f"input[name=key][value='{key}']").click()
    follow(driver, driver.find_element(By.ID, "action-restore"), "import preview")
    collect_errors(driver, "import preview")
    previewed = [item.text for item in driver.find_elements(By.CSS_SELECTOR, "#preview-items li")]
    check("the preview lists exactly the chosen orders", previewed == chosen or previewed)
    shot(driver, "console-import-preview")
    follow(driver, driver.find_element(By.ID, "confirm"), "confirm")
    collect_errors(driver, "import result")
    check("the import reports success", "Done" in driver.find_element(By.TAG_NAME, "h1").text or driver.find_element(By.TAG_NAME, "h1").text)
    visit(driver, "/sources/pos/orders?state=imported", "orders imported")
    imported = [box.get_attribute("value") for box in driver.find_elements(By.CSS_SELECTOR, "input[name=key]")]
    check("the chosen orders are now imported", sorted(imported) == sorted(chosen) or imported)
    check("imported badges are green", all(b.get_attribute("class") == "badge good" for b in driver.find_elements(By.CSS_SELECTOR, "#orders .badge")))
    visit(driver, "/sources/pos/orders?missing=1", "orders missing after")
    left = [box.get_attribute("value") for box in driver.find_elements(By.CSS_SELECTOR, "input[name=key]")]
    check("the others are still missing", sorted(left) == sorted(set(args["missing"]) - set(chosen)) or left)

    # Cleanup by its rule, with a preview.
    visit(driver, "/sources/pos/actions/prune", "cleanup form")
    driver.find_element(By.NAME, "older_than").send_keys("7d")
    driver.find_element(By.NAME, "states").send_keys("imported")
    follow(driver, driver.find_element(By.ID, "preview"), "cleanup preview")
    collect_errors(driver, "cleanup preview")
    to_remove = [item.text for item in driver.find_elements(By.CSS_SELECTOR, "#preview-items li")]
    check("the cleanup preview lists exactly the imported orders", sorted(to_remove) == sorted(chosen) or to_remove)
    shot(driver, "console-cleanup-preview")
    follow(driver, driver.find_element(By.ID, "confirm"), "confirm")
    collect_errors(driver, "cleanup result")
    visit(driver, "/sources/pos/orders?state=imported", "orders after cleanup")
    check("cleaned orders are gone", driver.find_elements(By.CSS_SELECTOR, "input[name=key]") == [])

    # The dashboard's charts.
    visit(driver, "/sources/pos/dashboard", "dashboard")
    charts = driver.find_elements(By.CSS_SELECTOR, "section.chart svg")
    bars = driver.find_elements(By.CSS_SELECTOR, "#chart-per_day svg rect")
    check("the dashboard draws its four charts", len(charts) == 4 or len(charts))
    check("orders per day has bars", len(bars) >= 2 or len(bars))
    sizes = driver.execute_script("return Array.from(document.querySelectorAll('section.chart svg')).map(s => [s.getBoundingClientRect().width, s.getBoundingClientRect().height])")
    check("the charts have a size", all(width > 100 and height > 20 for width, height in sizes) or sizes)
    shot(driver, "console-dashboard")

    # A payload full of markup is text on every page that shows it.
    visit(driver, "/sources/pos/orders?q=" + urllib.parse.quote(hostile), "hostile list")
    text = markup_is_text(driver, "list")
    check("list: the reference shows as text", "<script>" in text or text[:300])
    visit(driver, "/sources/pos/orders/" + urllib.parse.quote(hostile, safe=""), "hostile record")
    text = markup_is_text(driver, "record")
    check("record: markup shows as text", all(part in text for part in ("<script>", "onerror=", "<b id=", "receipt-bold")) or text[:500])
    shot(driver, "console-order")
    visit(driver, "/sources/pos/orders?q=" + urllib.parse.quote(hostile), "hostile list again")
    driver.find_element(By.CSS_SELECTOR, "input[name=key]").click()
    follow(driver, driver.find_element(By.ID, "action-restore"), "import preview")
    markup_is_text(driver, "preview")
    collect_errors(driver, "hostile preview")
    visit(driver, "/sources/pos/dashboard", "dashboard again")
    markup_is_text(driver, "dashboard")

    # A form without the CSRF token is refused, with the session's cookie and all.
    session = "cadang_session=" + driver.get_cookie("cadang_session")["value"]
    body = urllib.parse.urlencode([("key", args["missing_left"]), ("confirm", "1")]).encode()
    request = urllib.request.Request(url + "/sources/pos/actions/restore", data=body, headers={"Cookie": session})
    try:
        status = urllib.request.urlopen(request).status
    except urllib.error.HTTPError as error:
        status = error.code
    check("a form without the CSRF token is refused", status == 403 or status)
    try:
        status = urllib.request.urlopen(url + "/api/v1/sets").status
    except urllib.error.HTTPError as error:
        status = error.code
    check("the API without a token is refused", status == 401 or status)

    # Log out: the session is gone.
    visit(driver, "/", "before logout")
    follow(driver, driver.find_element(By.ID, "logout"), "logout")
    visit(driver, "/sources/pos/dashboard", "after logout")
    check("after logout pages redirect to login", driver.current_url.endswith("/login"))
finally:
    driver.quit()

# Indonesian from the browser's language.
driver = browser("id")
try:
    visit(driver, "/login", "login id")
    check("the login speaks Indonesian to an Indonesian browser", "Masuk" in driver.find_element(By.TAG_NAME, "h1").text)
    driver.find_element(By.ID, "token").send_keys(token)
    follow(driver, driver.find_element(By.CSS_SELECTOR, "#login button"), "login")
    visit(driver, "/sources/pos/orders", "orders id")
    check("the list is in Indonesian", "Pesanan" in driver.find_element(By.TAG_NAME, "h1").text)
    shot(driver, "console-orders-id")
    follow(driver, driver.find_element(By.ID, "language"), "language")
    check("the switch turns it to English", "Orders" in driver.find_element(By.TAG_NAME, "h1").text)
finally:
    driver.quit()

print(json.dumps({"checks": checks, "console_errors": errors}))
