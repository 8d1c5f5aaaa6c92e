// report.html as a browser shows it: headless Chromium loads the page and its DOM must hold
// every chart as an <svg> with drawn <path>s. Chromium comes with scripts/install-deps.sh
// (make test installs it); without it this test fails, unless NNLAB_SKIP_BROWSER_TESTS=1.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "nnlab/report/run_report.h"
#include "temp_dir.h"

namespace nnlab::report {
namespace {

std::string find_chromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    const std::string command = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(command.c_str()) == 0) return name;
  }
  return "";
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(HtmlReportBrowser, ChromiumRendersEveryChart) {
  const char* skip = std::getenv("NNLAB_SKIP_BROWSER_TESTS");
  if (skip != nullptr && std::string(skip) == "1") GTEST_SKIP() << "NNLAB_SKIP_BROWSER_TESTS=1";
  const std::string chromium = find_chromium();
  ASSERT_FALSE(chromium.empty()) << "chromium is not installed: run scripts/install-deps.sh (make test does), "
                                    "or set NNLAB_SKIP_BROWSER_TESTS=1 to skip the browser tests";

  History history;
  for (int e = 1; e <= 3; ++e) {
    EpochRecord r;
    r.epoch = e;
    r.train_loss = 1.0 / e;
    r.val_loss = 1.2 / e;
    r.train_accuracy = 0.8 + 0.05 * e;
    r.val_accuracy = 0.78 + 0.05 * e;
    history.epochs.push_back(r);
  }
  for (int s = 1; s <= 30; ++s) history.step_loss.push_back(2.0f / static_cast<float>(s));
  history.stop_reason = "completed 3 epochs";
  RunReportInput input{.title = "Browser <check> & run", .history = &history, .test = {0.3, 0.91}};
  input.settings = {{"optimizer", "adam"}, {"note", "<script>alert(1)</script>"}};
  const HtmlReport page = run_report(input);

  const test::TempDir temp;
  const auto& dir = temp.path();
  std::filesystem::create_directories(dir / "profile");
  page.save((dir / "report.html").string());

  const std::string command =
      "timeout 120 " + chromium +
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
      " --disable-component-update --disable-sync --user-data-dir=" +
      (dir / "profile").string() + " --dump-dom file://" + (dir / "report.html").string() + " >" +
      (dir / "dom.html").string() + " 2>" + (dir / "chromium.log").string();
  const int status = std::system(command.c_str());
  const std::string dom = slurp(dir / "dom.html");
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "chromium failed: " << slurp(dir / "chromium.log").substr(0, 2000);

  // The three learning-curve charts, each with drawn lines.
  EXPECT_EQ(count(dom, "<svg"), 3) << dom.substr(0, 2000);
  int drawn = 0;
  for (size_t at = dom.find("<svg"); at != std::string::npos; at = dom.find("<svg", at + 1)) {
    const std::string svg = dom.substr(at, dom.find("</svg>", at) - at);
    drawn += svg.find("<path d=\"M") != std::string::npos;
  }
  EXPECT_EQ(drawn, 3);
  EXPECT_NE(dom.find("<title>Browser &lt;check&gt; &amp; run</title>"), std::string::npos);
  // Text is escaped: the setting shows as text, it does not become a script.
  EXPECT_EQ(count(dom, "<script"), 0);
  EXPECT_NE(dom.find("0.9100"), std::string::npos);
}

}  // namespace
}  // namespace nnlab::report
