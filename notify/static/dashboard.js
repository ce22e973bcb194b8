// Keeps the dashboard's panels up to date: every 30 seconds each element with a
// data-refresh-url fetches its panel, rendered by the server, and swaps it in. The page is
// complete without this script; it only saves a reload. Like GOV.UK Notify's dashboard, it
// waits while the tab is hidden and leaves a panel alone while someone is using it.

const INTERVAL_MS = 30000;

function busy(panel) {
  return panel.contains(document.activeElement) && document.activeElement !== document.body;
}

async function refresh(panel) {
  if (document.hidden || busy(panel)) return;
  try {
    const response = await fetch(panel.dataset.refreshUrl, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      cache: "no-store",
    });
    // signed out, or the server is down: keep what is shown, try again next time
    if (!response.ok || response.redirected) return;
    const html = await response.text();
    if (html !== panel.dataset.lastHtml && !busy(panel)) {
      panel.innerHTML = html;
      panel.dataset.lastHtml = html;
    }
  } catch {
    // offline for a moment: the next round tries again
  }
}

function start() {
  const panels = document.querySelectorAll("[data-refresh-url]");
  if (!panels.length || !window.fetch) return;
  document.documentElement.classList.add("app-refreshing");
  const round = () => panels.forEach(refresh);
  setInterval(round, INTERVAL_MS);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) round();
  });
}

start();
