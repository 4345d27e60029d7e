#!/usr/bin/env python3
"""Open aov's HTML reports in headless Chromium: they must render (a
screenshot is taken, at desktop and phone widths) and make no network
request at all. Every request Chromium would make goes to a proxy on
loopback that only counts connections; the count must stay zero.

    python3 tests/browser/check.py AOV_BINARY CHROMIUM
"""
import os, socket, subprocess, sys, tempfile, threading

aov, chromium = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..", "..")
work = tempfile.mkdtemp()

connections = []
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(16)
port = server.getsockname()[1]


def record(conn):
    # The first line names the target; a preconnect may sit idle, so each
    # connection is read on its own thread and the accept loop never waits.
    with conn:
        conn.settimeout(30)
        try:
            connections.append(conn.recv(200))
        except OSError:
            connections.append(b"")


def serve():
    while True:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        threading.Thread(target=record, args=(conn,), daemon=True).start()


threading.Thread(target=serve, daemon=True).start()

pages = {
    "report": ["report", "fixtures/deals.csv", "--by", "seller", "--period", "quarter", "--target", "5000"],
    "customers": ["customers", "fixtures/deals.csv", "--top", "20"],
    "sellers": ["sellers", "fixtures/deals.csv"],
    "explain": ["explain", "fixtures/deals.csv", "--by", "customer", "--top", "8"],
}
failed = 0
for name, args in pages.items():
    html = os.path.join(work, f"{name}.html")
    subprocess.run([aov, *args, "--format", "html", "-o", html], check=True, cwd=root)
    for size in ["1200,1600", "390,844"]:
        png = os.path.join(work, f"{name}-{size.replace(',', 'x')}.png")
        run = subprocess.run(
            [
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={work}/profile-{name}", f"--proxy-server=http://127.0.0.1:{port}",
                "--proxy-bypass-list=<-loopback>", f"--window-size={size}", f"--screenshot={png}", f"file://{html}",
            ],
            capture_output=True, text=True, timeout=120,
        )
        ok = run.returncode == 0 and os.path.exists(png) and os.path.getsize(png) > 10_000
        if not ok:
            failed += 1
            print(f"{name} {size}: no screenshot (status {run.returncode})\n{run.stderr[-2000:]}", file=sys.stderr)
# At a phone's width the report page must show its key columns without
# scrolling and chart text of at least 10 CSS px. The page has no script;
# a copy of it gets one that measures the laid-out page and writes the
# result into the DOM, which Chromium dumps (no network: the proxy still
# counts every connection).
#
# Headless Chromium keeps its window at least 500 px wide whatever
# --window-size says, so the copy lays the page out 390 px wide itself
# (the phone rules, max-width 600px, apply at both widths) and measures
# against 390.
PHONE = "<style>html{width:390px}</style>"
MEASURE = """<script>
const w = 390, out = [];
if (document.documentElement.getBoundingClientRect().width > w + 0.5) out.push('page not laid out at 390 px');
for (const f of ['period', 'aov', 'aov_change_pct']) {
  const th = document.querySelector('th[title="' + f + '"]');
  if (!th) { out.push('no column ' + f); continue; }
  const r = th.getBoundingClientRect();
  if (r.right > w + 0.5) out.push(f + ' ends at ' + r.right + ' of ' + w);
}
const svg = [...document.querySelectorAll('figure svg')].find(s => s.getBoundingClientRect().width > 0);
if (!svg) out.push('no chart shown');
else {
  const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
  if (svg.getBoundingClientRect().width < w * 0.85) out.push('chart not full width');
  for (const t of svg.querySelectorAll('text')) {
    const px = parseFloat(t.getAttribute('font-size')) * scale;
    if (t.textContent.trim() && px < 10) { out.push('chart text ' + px.toFixed(1) + ' px: ' + t.textContent); break; }
  }
}
const pre = document.createElement('pre'); pre.id = 'measured';
pre.textContent = out.length ? out.join('; ') : 'OK';
document.body.appendChild(pre);
</script>"""
# The plain report in both languages, and a report by seller (small
# multiples, two plots a row; subtotals; the names wrap so the key
# columns still fit).
phone_pages = {
    "sv": ["report", "fixtures/deals.csv", "--period", "quarter", "--target", "5000", "--lang", "sv"],
    "en": ["report", "fixtures/deals.csv", "--period", "quarter", "--target", "5000", "--lang", "en"],
    "by-seller": ["report", "fixtures/deals.csv", "--by", "seller", "--lang", "sv"],
}
for lang, args in phone_pages.items():
    html = os.path.join(work, f"phone-{lang}.html")
    subprocess.run([aov, *args, "--format", "html", "-o", html], check=True, cwd=root)
    with open(html, encoding="utf-8") as f:
        page = f.read().replace("</head>", PHONE + "</head>").replace("</body>", MEASURE + "</body>")
    with open(html, "w", encoding="utf-8") as f:
        f.write(page)
    run = subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={work}/profile-phone-{lang}", f"--proxy-server=http://127.0.0.1:{port}",
            "--proxy-bypass-list=<-loopback>", "--window-size=390,844", "--virtual-time-budget=2000",
            "--dump-dom", f"file://{html}",
        ],
        capture_output=True, text=True, timeout=120,
    )
    measured = run.stdout.split('<pre id="measured">')[-1].split("</pre>")[0] if 'id="measured"' in run.stdout else None
    if measured != "OK":
        failed += 1
        print(f"phone {lang}: {measured or 'nothing measured'}\n{run.stderr[-1000:]}", file=sys.stderr)
    else:
        print(f"phone {lang}: key columns visible, chart text at least 10 px", file=sys.stderr)
# Chromium itself calls home (time, accounts, updates) even headless; those
# requests are its own, not the page's, and are told apart by their hosts.
# It also preconnects to the proxy and may close such a socket unused: a
# connection that ends without a byte sent asked for nothing, so it is
# counted apart rather than taken for a request.
OWN = (b"google.com", b"googleapis.com", b"gstatic.com", b"gvt1.com", b"gvt2.com", b"chromium.org")
unused = [c for c in connections if c == b""]
requests = [c for c in connections if c != b""]
page_requests = [c for c in requests if not any(h in c.split(b"\r\n")[0] for h in OWN)]
print(f"{len(requests) - len(page_requests)} requests of Chromium's own were ignored", file=sys.stderr)
print(f"{len(unused)} connections closed without a request", file=sys.stderr)
if page_requests:
    failed += 1
    print(f"the pages made {len(page_requests)} network requests: {page_requests[:3]}", file=sys.stderr)
print(f"screenshots in {work}", file=sys.stderr)
print(f"{len(pages) * 2 + len(phone_pages) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
