// LabServer over HTTP (httplib::Client on an ephemeral port): the page built into the program, the
// API's errors as JSON, bodies too large, the token, and the live stream, also when a reader leaves.

#include "nnlab/lab/lab_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>

namespace nnlab::lab {
namespace {

// A server on a port of the system's choosing, serving on a thread of its own while it lives.
class RunningLab {
 public:
  explicit RunningLab(LabServerOptions options) : server_(std::move(options)), thread_([this] { server_.serve(); }) {}
  ~RunningLab() {
    server_.stop();
    thread_.join();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", server_.port());
    c.set_read_timeout(30, 0);
    return c;
  }
  LabServer& server() { return server_; }

 private:
  LabServer server_;
  std::thread thread_;
};

LabServerOptions ephemeral(std::string token = "") {
  return {.port = 0, .token = std::move(token), .api = {.logdir = ""}};
}

TEST(LabServer, ServesThePageBuiltIntoTheProgram) {
  RunningLab lab(ephemeral());
  EXPECT_GT(lab.server().port(), 0);
  EXPECT_EQ(lab.server().url(), "http://127.0.0.1:" + std::to_string(lab.server().port()) + "/");
  auto c = lab.client();
  const auto page = c.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<title>nnlab lab</title>"), std::string::npos);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  const auto uplot = c.Get("/vendor/uplot.iife.min.js");
  ASSERT_TRUE(uplot);
  EXPECT_EQ(uplot->status, 200);
  EXPECT_GT(uplot->body.size(), 40000u);
  const auto missing = c.Get("/no/such/file.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(nlohmann::json::parse(missing->body)["error"].get<std::string>().find("no such page"), std::string::npos);
  const auto options = c.Get("/api/options");
  ASSERT_TRUE(options);
  EXPECT_EQ(nlohmann::json::parse(options->body)["defaults"]["data"], "spirals");
}

TEST(LabServer, BadAndOversizedRequestsAnswer400AndTheServerGoesOn) {
  RunningLab lab(ephemeral());
  auto c = lab.client();
  const auto bad = c.Post("/api/runs", "{\"data\":", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(nlohmann::json::parse(bad->body)["error"].get<std::string>().find("not JSON"), std::string::npos);
  const std::string huge(3 << 20, 'x');
  const auto big = c.Post("/api/runs", huge, "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 400);
  EXPECT_NE(nlohmann::json::parse(big->body)["error"].get<std::string>().find("at most"), std::string::npos);
  auto again = lab.client();
  const auto unknown = again.Post("/api/runs/xyz/control", R"({"action":"pause"})", "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  const auto events = again.Get("/api/runs/xyz/events");
  ASSERT_TRUE(events);
  EXPECT_EQ(events->status, 404);
  const auto fine = again.Get("/api/runs");
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200);
}

TEST(LabServer, WithATokenEveryRequestMustCarryIt) {
  RunningLab lab(ephemeral("s3cret"));
  EXPECT_NE(lab.server().url().find("?token=s3cret"), std::string::npos);
  auto c = lab.client();
  const auto without = c.Get("/");
  ASSERT_TRUE(without);
  EXPECT_EQ(without->status, 403);
  const auto wrong = c.Get("/api/options?token=guess");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);
  const auto with = c.Get("/api/options?token=s3cret");
  ASSERT_TRUE(with);
  EXPECT_EQ(with->status, 200);
  const auto header = c.Get("/", {{"X-Nnlab-Token", "s3cret"}});
  ASSERT_TRUE(header);
  EXPECT_EQ(header->status, 200);
  // The page opened with the token sets a cookie, which its scripts are fetched with.
  EXPECT_NE(with->get_header_value("Set-Cookie").find("nnlab_token=s3cret"), std::string::npos);
  const auto script = c.Get("/js/app.js", {{"Cookie", "theme=dark; nnlab_token=s3cret"}});
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  const auto forged = c.Get("/js/app.js", {{"Cookie", "xnnlab_token=s3cret"}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  EXPECT_EQ(random_token().size(), 32u);
  EXPECT_NE(random_token(), random_token());
}

TEST(LabServer, StreamsARunAndAReaderThatLeavesHurtsNothing) {
  RunningLab lab(ephemeral());
  auto c = lab.client();
  const auto made = c.Post("/api/runs", R"({"data": "circles", "points": 400, "pace": 0, "config": {"epochs": 40}})",
                           "application/json");
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 201) << made->body;
  const std::string id = nlohmann::json::parse(made->body)["id"];
  // A reader that leaves after its first bytes (a tab closed mid-stream).
  {
    auto leaving = lab.client();
    std::string got;
    leaving.Get("/api/runs/" + id + "/events", [&](const char* data, size_t n) {
      got.append(data, n);
      return false;
    });
    EXPECT_NE(got.find("event: start"), std::string::npos);
  }
  // A second one reads the whole run from the start.
  std::string stream;
  auto reader = lab.client();
  const auto result = reader.Get("/api/runs/" + id + "/events", [&](const char* data, size_t n) {
    stream.append(data, n);
    return true;
  });
  ASSERT_TRUE(result);
  EXPECT_NE(stream.find("event: start"), std::string::npos);
  EXPECT_NE(stream.find("event: epoch"), std::string::npos);
  EXPECT_NE(stream.find("event: boundary"), std::string::npos);
  EXPECT_NE(stream.find("event: done"), std::string::npos);
  EXPECT_NE(stream.find(R"("outcome":"done")"), std::string::npos);
  const auto runs = c.Get("/api/runs");
  ASSERT_TRUE(runs);
  EXPECT_EQ(nlohmann::json::parse(runs->body)["runs"][0]["status"], "done");
}

}  // namespace
}  // namespace nnlab::lab
