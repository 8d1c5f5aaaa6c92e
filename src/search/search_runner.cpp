#include "nnlab/search/search_runner.h"

#include <omp.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace nnlab {

namespace {

// A kill mid-write can leave a last line without its newline; the next record
// must not be glued to it.
void end_last_line(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in || in.tellg() == 0) return;
  in.seekg(-1, std::ios::end);
  if (in.get() == '\n') return;
  std::ofstream out(path, std::ios::app);
  out << '\n';
  out.flush();
  if (!out) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
}

}  // namespace

SearchResult run_search(SearchStrategy& strategy, const SearchSpace& space, const Objective& objective,
                        const SearchOptions& options) {
  SearchResult result;
  std::set<int> taken;  // finished or running
  if (!options.results_path.empty()) {
    result.trials = load_trials(options.results_path, options.header, space);
    result.resumed = static_cast<int>(result.trials.size());
    for (const auto& t : result.trials) taken.insert(t.index);
    if (!std::filesystem::exists(options.results_path) || std::filesystem::file_size(options.results_path) == 0) {
      append_json_line(options.results_path, {{"search", options.header}});
    } else {
      end_last_line(options.results_path);
    }
  }

  const auto start = std::chrono::steady_clock::now();
  auto out_of_time = [&] {
    return options.minutes > 0 &&
           std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > options.minutes * 60;
  };
  std::mutex mutex;
  std::condition_variable changed;
  int running = 0;
  bool stop = false;
  std::exception_ptr error;
  for (const auto& t : result.trials) stop |= t.score >= options.target;

  auto work = [&](int worker) {
    omp_set_num_threads(options.threads_per_worker);
    std::unique_lock lock(mutex);
    while (!stop) {
      if (out_of_time()) {
        result.out_of_time = true;
        break;
      }
      int index = 0;
      while (taken.count(index)) ++index;
      PlanRequest request;
      try {
        request = strategy.plan(index, result.trials);
      } catch (...) {
        if (!error) error = std::current_exception();
        stop = true;
        break;
      }
      if (request.status == PlanRequest::Status::kDone) break;
      if (request.status == PlanRequest::Status::kWait) {
        if (running == 0) break;  // nothing can change the answer
        changed.wait(lock);
        continue;
      }
      taken.insert(index);
      ++running;
      lock.unlock();
      TrialRecord record;
      try {
        record = objective(index, request.plan);
      } catch (...) {
        lock.lock();
        if (!error) error = std::current_exception();
        stop = true;
        --running;
        changed.notify_all();
        break;
      }
      record.index = index;
      record.plan = request.plan;
      record.worker = worker;
      lock.lock();
      --running;
      result.trials.push_back(record);
      stop |= record.score >= options.target;
      try {
        if (!options.results_path.empty()) append_json_line(options.results_path, record.to_json(space));
        if (options.on_trial) options.on_trial(record);
      } catch (...) {
        if (!error) error = std::current_exception();
        stop = true;
      }
      changed.notify_all();
    }
    changed.notify_all();
  };

  std::vector<std::thread> threads;
  for (int w = 1; w < std::max(1, options.workers); ++w) threads.emplace_back(work, w);
  work(0);
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
  std::sort(result.trials.begin(), result.trials.end(),
            [](const TrialRecord& a, const TrialRecord& b) { return a.index < b.index; });
  return result;
}

}  // namespace nnlab
