// nnlab lab in a real browser: Playwright (playwright-core, tests/lab/package-lock.json) drives
// Debian's /usr/bin/chromium. Starts `nnlab lab --port 0`, loads the page, trains on the two
// spirals until they are separated, checks from the canvas pixels that the boundary and the
// curves are drawn, pauses and steps, compares two runs and runs an experiment.
//
//   node tests/lab/lab_browser_test.js build/nnlab [docs/images]   (screenshots when a folder is given)

const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
let chromium;
try {
  ({ chromium } = require("playwright-core"));
} catch (e) {
  console.error("lab browser test: playwright-core is not installed: run scripts/install-npm-tests.sh (make test does)");
  process.exit(1);
}

const [nnlab, shots] = process.argv.slice(2);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "nnlab-lab-browser-"));
let lab = null;
let guarded = null;  // a second lab, with a token
let browser = null;

function fail(message) {
  throw new Error(message);
}

function check(condition, message) {
  if (!condition) fail(message);
  console.log("ok: " + message);
}

// Starts a lab and resolves with the URL it prints (and the process, as `lab` for the first).
function startLab(extra = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(nnlab, ["lab", "--port", "0", "--logdir", path.join(work, "runs")].concat(extra),
      { stdio: ["ignore", "pipe", "pipe"] });
    if (!lab) lab = child;
    else guarded = child;
    let out = "";
    const timer = setTimeout(() => reject(new Error("nnlab lab printed no URL in 20 s: " + out)), 20000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/nnlab lab: (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr.on("data", (d) => process.stderr.write(d));
    child.on("exit", (code) => reject(new Error("nnlab lab exited with " + code + ": " + out)));
  });
}

// Share of a canvas's pixels that are not white, and of those near each class colour.
async function canvasPixels(page, selector) {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(sel);
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0, orange = 0, blue = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a > 0 && (r < 235 || g < 235 || b < 235)) inked++;
      if (a > 0 && r > g + 30 && r > b + 40) orange++;
      if (a > 0 && b > r + 40) blue++;
    }
    const n = data.length / 4;
    return { inked: inked / n, orange: orange / n, blue: blue / n };
  }, selector);
}

async function statusStep(page) {
  const text = await page.textContent("#run-status");
  const m = text.match(/step (\d+)/);
  return m ? Number(m[1]) : -1;
}

async function main() {
  const url = await startLab();
  console.log("lab at " + url);
  browser = await chromium.launchPersistentContext(path.join(work, "profile"), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run"],
    viewport: { width: 1360, height: 900 },
  });
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector("body[data-ready='1']", { timeout: 15000 });
  check(await page.inputValue("#data") === "spirals", "the page opens on the two spirals");

  // Start on the defaults; the loss falls and the spirals are separated.
  const started = Date.now();
  await page.click("#start");
  await page.waitForFunction(() => Number(document.body.dataset.valAccuracy || 0) >= 0.95, null, { timeout: 60000 });
  const seconds = (Date.now() - started) / 1000;
  check(seconds < 30, `the spirals are separated (validation accuracy >= 95%) ${seconds.toFixed(1)} s after Start`);
  const firstLoss = await page.evaluate(() => Number(document.body.dataset.firstLoss));
  const loss = await page.evaluate(() => Number(document.body.dataset.lastLoss));
  check(loss < firstLoss / 2, `the loss fell from ${firstLoss.toFixed(3)} to ${loss.toFixed(3)}`);

  // Pause: the steps stop; Step takes one more.
  await page.click("#pause");
  await page.waitForSelector("body[data-run-state='paused']");
  await page.waitForTimeout(600);
  const held = await statusStep(page);
  await page.waitForTimeout(800);
  check(await statusStep(page) === held, `paused at step ${held}, it stays there`);
  await page.click("#step");
  await page.waitForFunction((s) => {
    const m = document.getElementById("run-status").textContent.match(/step (\d+)/);
    return m && Number(m[1]) === s + 1;
  }, held, { timeout: 10000 });
  check(true, "Step takes exactly one step");

  const map = await canvasPixels(page, "#boundary");
  check(map.orange > 0.15 && map.blue > 0.15, `the boundary map shows both classes (${(100 * map.orange).toFixed(0)}% orange, ${(100 * map.blue).toFixed(0)}% blue)`);
  const curve = await canvasPixels(page, "#loss-chart canvas");
  check(curve.inked > 0.01, `the loss curve is drawn (${(100 * curve.inked).toFixed(1)}% of its canvas inked)`);
  const hist = await page.$$eval("#histograms canvas", (c) => c.length);
  check(hist === 2, "an activation histogram for each of the two tanh layers");
  if (shots) await page.screenshot({ path: path.join(shots, "lab-playground.png") });

  // A second tab: the run (paused in the first) is listed; it watches it from its start, then stops it.
  const second = await browser.newPage();
  second.on("pageerror", (e) => errors.push(String(e)));
  await second.goto(url);
  await second.waitForSelector("#lab-runs li button.watch", { timeout: 10000 });
  await second.click("#lab-runs li button.watch");
  await second.waitForFunction(() => Number(document.body.dataset.valAccuracy || 0) >= 0.95, null, { timeout: 20000 });
  const seen = await canvasPixels(second, "#boundary");
  check(seen.orange > 0.15 && seen.blue > 0.15, "a second tab watches the run from its start, boundary and all");
  await second.click("#lab-runs li button.stop");
  await page.waitForSelector("body[data-run-state='finished']", { timeout: 20000 });
  check((await page.textContent("#run-status")).includes("stopped from the lab"), "and stops it: the first tab sees it stop");
  await second.close();

  // A second run, with a smaller learning rate, then the two compared.
  await page.fill("#lr", "0.003");
  await page.fill("#epochs", "30");
  await page.selectOption("#pace", "0");
  await page.click("#start");
  await page.waitForSelector("body[data-run-state='finished']", { timeout: 60000 });
  await page.click("button[data-tab='compare']");
  await page.waitForSelector("#runs-table tbody tr:nth-child(2)", { timeout: 10000 });
  const boxes = await page.$$("#runs-table tbody input[type=checkbox]");
  check(boxes.length === 2, "both runs are listed in the log folder");
  for (const box of boxes) await box.check();
  await page.waitForFunction(() => document.querySelectorAll("#settings-table tr:first-child th").length === 3, null,
    { timeout: 10000 });
  const differing = await page.$$eval("#settings-table td", (tds) => tds.filter((td) => td.style.background).length);
  check(differing >= 4, "their settings side by side, the differences marked");
  await page.waitForTimeout(500);
  const overlay = await canvasPixels(page, "#compare-loss canvas");
  check(overlay.inked > 0.01, "their curves overlaid");
  if (shots) await page.screenshot({ path: path.join(shots, "lab-compare.png") });

  // On images: after training, the confusion matrix and the worst-classified test images.
  await page.click("button[data-tab='playground']");
  await page.selectOption("#data", "mnist");
  await page.fill("#epochs", "1");
  await page.click("#start");
  await page.waitForSelector("body[data-run-state='finished']", { timeout: 60000 });
  await page.waitForSelector("#test-view:not([hidden]) #worst canvas", { timeout: 10000 });
  check(await page.$$eval(".confusion tr", (rows) => rows.length) === 11, "MNIST: a 10-class confusion matrix");
  check(await page.$$eval("#worst canvas", (c) => c.length) >= 8, "and the worst-classified test images");
  if (shots) {
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.screenshot({ path: path.join(shots, "lab-mnist.png") });
  }
  await page.click("button[data-tab='compare']");

  // A run of nnlab train in another "terminal" shows up and is followed while it trains.
  const trainer = spawn(nnlab, ["train", "--data", "mnist", "--epochs", "6", "--batch-size", "8", "--threads", "1",
    "--progress", "quiet", "--out", path.join(work, "runs", "from-the-terminal")], { stdio: "ignore" });
  try {
    let listed = false;
    for (let tries = 0; tries < 30 && !listed; tries++) {
      await page.click("#refresh-runs");
      await page.waitForTimeout(1000);
      listed = await page.$$eval("#runs-table tbody tr", (rows) => rows.some((tr) =>
        tr.textContent.includes("from-the-terminal") && tr.textContent.includes("training")));
    }
    check(listed, "a run that nnlab train is doing shows up in the list as training");
    await page.check("#runs-table input[data-run='from-the-terminal']");
    const followed = () => page.evaluate(() => JSON.parse(document.getElementById("compare").dataset.epochs || "{}")["from-the-terminal"] || 0);
    await page.waitForFunction(() => (JSON.parse(document.getElementById("compare").dataset.epochs || "{}")["from-the-terminal"] || 0) >= 1,
      null, { timeout: 30000 });
    const first = await followed();
    await page.waitForFunction((n) => (JSON.parse(document.getElementById("compare").dataset.epochs || "{}")["from-the-terminal"] || 0) > n,
      first, { timeout: 30000 });
    check(true, `a run of nnlab train is followed live: ${first} epoch(s), then ${await followed()}`);
  } finally {
    trainer.kill("SIGKILL");
  }

  // An experiment: the optimizer paths, then again from a start clicked on the contour plot.
  await page.click("button[data-tab='experiments']");
  const paths = "#experiment-optimizer-paths";
  await page.click(paths + " button.run");
  await page.waitForSelector(paths + "[data-done='done'][data-results='6']", { timeout: 20000 });
  const drawn = await canvasPixels(page, paths + " canvas");
  check(drawn.orange > 0.001 && drawn.blue > 0.001, "the six optimizers' paths are drawn on the contour plot");
  const lesson = await page.textContent(paths + " .lesson");
  check(lesson.includes("zigzags"), "with the experiment's lesson");
  const before = await page.evaluate((sel) => document.querySelector(sel + " canvas").toDataURL(), paths);
  await page.click(paths + " canvas", { position: { x: 420, y: 60 } });
  await page.waitForSelector(paths + "[data-done='done'][data-results='6']", { timeout: 20000 });
  const after = await page.evaluate((sel) => document.querySelector(sel + " canvas").toDataURL(), paths);
  check(before !== after, "a click on the contour plot runs them again from there");
  const histograms = "#experiment-activation-histograms";
  await page.click(histograms + " button.run");
  await page.waitForSelector(histograms + "[data-done='done'][data-results='4']", { timeout: 20000 });
  check(await page.$$eval(histograms + " canvas", (c) => c.length) === 20, "activation histograms: 4 inits × 5 layers");
  const search = "#experiment-search";
  await page.fill(search + " input[data-param='trials']", "12");
  await page.click(search + " button.run");
  await page.waitForSelector(search + "[data-done='done'][data-results='12']", { timeout: 60000 });
  check((await page.textContent(search + " p:last-child")).includes("best: lr"), "a hyperparameter search of 12 trials, its best named");
  if (shots) {
    await page.setViewportSize({ width: 1360, height: 760 });
    await page.screenshot({ path: path.join(shots, "lab-experiments.png") });
  }

  // A lab with a token: the page opened with it works (its scripts come with the cookie it sets);
  // a request without it is refused.
  const tokenUrl = await startLab(["--token", "t0ken"]);
  check(tokenUrl.endsWith("/?token=t0ken"), "a lab with a token prints it in its URL");
  const guardedPage = await browser.newPage();
  guardedPage.on("pageerror", (e) => errors.push(String(e)));
  await guardedPage.goto(tokenUrl);
  await guardedPage.waitForSelector("body[data-ready='1']", { timeout: 15000 });
  const refused = await guardedPage.evaluate(async (u) => (await fetch(u.replace(/\?token=.*/, "api/options"),
    { credentials: "omit" })).status, tokenUrl);
  check(refused === 403, "its page works with the token, a request without it gets 403");
  guarded.kill("SIGTERM");

  check(errors.length === 0, "no script errors on the page" + (errors.length ? ": " + errors.join("; ") : ""));
}

main()
  .then(async () => {
    await browser.close();
    lab.kill("SIGTERM");
    fs.rmSync(work, { recursive: true, force: true });
    console.log("lab browser test: passed");
    process.exit(0);
  })
  .catch(async (e) => {
    console.error("lab browser test: FAILED: " + e.message);
    if (browser) await browser.close().catch(() => {});
    if (lab) lab.kill("SIGTERM");
    if (guarded) guarded.kill("SIGTERM");
    process.exit(1);
  });
