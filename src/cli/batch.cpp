#include "cli/batch.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>
#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>

#include "cli/report.h"

namespace scrubtext::cli {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int) { g_interrupted.store(true); }

// Pages in flight per worker: enough to keep every core busy while one page is read or
// written, few enough that memory stays flat on any number of inputs.
constexpr unsigned kTokensPerThread = 4;
// Progress redraw interval.
constexpr auto kProgressEvery = std::chrono::milliseconds(100);

const char* extension_for(Format f) {
  switch (f) {
    case Format::Text: return ".txt";
    case Format::Markdown: return ".md";
    case Format::Json: return ".json";
    case Format::Jsonl: return ".jsonl";
  }
  return ".txt";
}

struct Item {
  std::string source;
  std::string out_path;
  std::string url, charset, crawl_date;
  std::string bytes;
  InputKind kind = InputKind::Auto;
  std::string read_error;       // the input could not be read
  bool skipped_existing = false;
  // Results.
  Status status = Status::Ok;
  std::string error;
  std::string rendered;
  std::string explain;
  std::size_t input_bytes = 0;
  std::unique_ptr<Document> doc;  // kept for the report only
  double seconds = 0.0;
};

// Reads at most `limit` + 1 bytes (one more than the input limit, so that the cleaner can
// tell the input is too large without the rest ever being read: /dev/zero, a FIFO that never
// ends). A gzip file is read whole up to that limit too; it is inflated later, also bounded.
bool read_whole(const std::string& path, std::size_t limit, std::string& out, std::string& why) {
  std::error_code ec;
  if (path != "-" && fs::is_directory(path, ec)) {
    why = "is a directory";
    return false;
  }
  std::FILE* f = stdin;
  if (path != "-") {
    // Non-blocking open: a FIFO without a writer would block open() for ever (and a signal
    // may be delivered to another thread). It then reads as empty; with a writer (a process
    // substitution), reads block as usual once the flag is cleared.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      why = std::strerror(errno);
      return false;
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    f = ::fdopen(fd, "rb");
    if (!f) {
      why = std::strerror(errno);
      ::close(fd);
      return false;
    }
  }
  out.clear();
  const std::size_t cap = limit == std::numeric_limits<std::size_t>::max() ? limit : limit + 1;
  char buf[1 << 16];
  bool failed = false;
  while (out.size() < cap) {
    const std::size_t want = std::min(sizeof buf, cap - out.size());
    const std::size_t got = std::fread(buf, 1, want, f);
    out.append(buf, got);
    if (got < want) {
      failed = std::ferror(f) != 0;
      break;
    }
    if (g_interrupted.load()) break;
  }
  const int err = errno;
  if (f != stdin) std::fclose(f);
  if (failed) {
    why = std::string("read error: ") + std::strerror(err);
    return false;
  }
  return true;
}

bool file_starts_warc(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;  // never open a FIFO or device just to peek
  std::ifstream in(path, std::ios::binary);
  char head[5] = {0};
  in.read(head, 5);
  if (in.gcount() == 5 && std::memcmp(head, "WARC/", 5) == 0) return true;
  if (in.gcount() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b)
    return WarcReader::looks_like_warc(path);
  return false;
}

// Produces the items in input order: files, WARC records, JSONL records from stdin.
class Cursor {
 public:
  Cursor(const std::vector<InputRef>& inputs, const BatchOptions& o) : inputs_(inputs), o_(o) {}

  std::size_t files_started() const { return next_; }

  std::unique_ptr<Item> next() {
    for (;;) {
      if (warc_) {
        if (auto page = warc_->next()) {
          auto item = std::make_unique<Item>();
          item->source = warc_ref_.path + "#" + (page->record_id.empty() ? std::to_string(page->index) : page->record_id);
          item->url = page->target_uri;
          item->crawl_date = page->date;
          item->charset = page->charset;
          if (o_.output_is_dir) {
            char idx[32];
            std::snprintf(idx, sizeof idx, "%06zu", page->index);
            item->out_path = (fs::path(o_.output) / warc_ref_.rel / idx).string() + extension_for(o_.format);
            if (o_.skip_existing && fs::exists(item->out_path)) {
              item->skipped_existing = true;
              return item;
            }
          }
          item->bytes = std::move(page->body);
          return item;
        }
        std::string err = warc_->error();
        warc_.reset();
        if (!err.empty()) {
          auto item = std::make_unique<Item>();
          item->source = warc_ref_.path;
          item->read_error = "WARC: " + err;
          return item;
        }
        continue;
      }
      if (jsonl_stdin_) {
        std::string line;
        while (std::getline(std::cin, line)) {
          if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
          ++jsonl_line_;
          return jsonl_item(line);
        }
        jsonl_stdin_ = false;
        continue;
      }
      if (next_ >= inputs_.size()) return nullptr;
      const InputRef& ref = inputs_[next_++];
      auto item = std::make_unique<Item>();
      item->source = ref.path == "-" ? "<stdin>" : ref.path;
      item->url = o_.url;
      item->charset = o_.charset;
      if (ref.path == "-") {
        if (o_.stdin_jsonl) {
          jsonl_stdin_ = true;
          continue;
        }
        std::string why;
        if (!read_whole("-", o_.max_input_bytes, item->bytes, why)) item->read_error = why;
        return item;
      }
      if (file_starts_warc(ref.path)) {
        warc_ = std::make_unique<WarcReader>(ref.path);
        warc_ref_ = ref;
        if (!warc_->ok()) {
          item->read_error = warc_->error();
          warc_.reset();
          return item;
        }
        continue;
      }
      if (o_.output_is_dir) {
        item->out_path = (fs::path(o_.output) / ref.rel).string() + extension_for(o_.format);
        if (o_.skip_existing && fs::exists(item->out_path)) {
          item->skipped_existing = true;
          return item;
        }
      }
      std::string why;
      if (!read_whole(ref.path, o_.max_input_bytes, item->bytes, why)) item->read_error = why;
      return item;
    }
  }

 private:
  std::unique_ptr<Item> jsonl_item(const std::string& line) {
    auto item = std::make_unique<Item>();
    item->source = "<stdin>:" + std::to_string(jsonl_line_);
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      item->read_error = "line " + std::to_string(jsonl_line_) + " is not a JSON object";
      return item;
    }
    auto str = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
    if (!str("id").empty()) item->source = str("id");
    item->url = str("url");
    item->charset = str("charset");
    item->crawl_date = str("crawl_date");
    if (j.contains("html") && j["html"].is_string()) {
      item->bytes = str("html");
      item->kind = InputKind::Html;
    } else if (j.contains("text") && j["text"].is_string()) {
      item->bytes = str("text");
      item->kind = InputKind::Text;
    } else {
      item->read_error = "record has neither \"html\" nor \"text\"";
    }
    if (o_.output_is_dir) {
      char idx[32];
      std::snprintf(idx, sizeof idx, "%06zu", jsonl_line_);
      item->out_path = (fs::path(o_.output) / "stdin" / idx).string() + extension_for(o_.format);
    }
    return item;
  }

  const std::vector<InputRef>& inputs_;
  const BatchOptions& o_;
  std::size_t next_ = 0;
  std::unique_ptr<WarcReader> warc_;
  InputRef warc_ref_;
  bool jsonl_stdin_ = false;
  std::size_t jsonl_line_ = 0;
};

void clean_item(const Cleaner& cleaner, const BatchOptions& o, Item& item) {
  item.input_bytes = item.bytes.size();
  if (item.skipped_existing || !item.read_error.empty()) return;
  SourceInfo src;
  src.name = item.source;
  src.url = item.url;
  src.charset = item.charset;
  src.kind = item.kind;
  src.crawl_date = item.crawl_date;
  const auto t0 = std::chrono::steady_clock::now();
  Document doc = cleaner.clean(item.bytes, src);
  item.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::string().swap(item.bytes);
  item.status = doc.status;
  item.error = doc.error;
  const bool json = o.format == Format::Json || o.format == Format::Jsonl;
  if (doc.status == Status::Ok || (json && !o.output_is_dir)) item.rendered = render(doc, o.format, o.render);
  if (o.explain_to_stderr && doc.status == Status::Ok) {
    for (const auto& b : doc.blocks) {
      if (b.kept) continue;
      std::string ex = b.text.substr(0, 100);
      for (char& c : ex)
        if (c == '\n') c = ' ';
      item.explain += doc.source + ": removed [" + family_name(b.family) + " " + b.rule_id + "] " + ex +
                      (b.text.size() > 100 ? "...\n" : "\n");
    }
  }
  if (!o.report_path.empty() && doc.status == Status::Ok) item.doc = std::make_unique<Document>(std::move(doc));
}

// Temporary files are named "<output>.tmp-<host>-<pid>", so that a later run on the same host
// can tell a killed run's leftovers from the files of a run still in progress.
std::string temp_suffix() {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "host");
  return ".tmp-" + std::string(host) + "-" + std::to_string(::getpid());
}

// Removes temporaries left by killed runs on this host (their process no longer exists).
void sweep_stale_temporaries(const std::string& dir) {
  const std::string mine = temp_suffix();
  const std::string prefix = mine.substr(0, mine.rfind('-') + 1);  // ".tmp-<host>-"
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const std::size_t at = name.rfind(prefix);
    if (at == std::string::npos) continue;
    const std::string pid = name.substr(at + prefix.size());
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    const long p = std::strtol(pid.c_str(), nullptr, 10);
    if (p != ::getpid() && ::kill(static_cast<pid_t>(p), 0) != 0 && errno == ESRCH) {
      std::error_code rm;
      fs::remove(it->path(), rm);
    }
  }
}

bool write_atomically(const std::string& path, const std::string& data, std::string& why) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  const std::string tmp = path + temp_suffix();
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    why = std::strerror(errno);
    return false;
  }
  const bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size() && std::fflush(f) == 0 &&
                  ::fsync(fileno(f)) == 0;
  const int saved = errno;
  if (std::fclose(f) != 0 || !ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    why = std::strerror(ok ? errno : saved);
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

struct Stats {
  std::size_t pages = 0, ok = 0, failed = 0, skipped = 0, bytes = 0;
  std::map<std::string, std::size_t> reasons;
};

std::string human_rate(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, v >= 100 ? "%.0f" : "%.1f", v);
  return buf;
}

}  // namespace

void install_signal_handlers() {
  // Without SA_RESTART, so that a read blocked on a FIFO or a slow file returns (EINTR)
  // and the run can stop.
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int run_batch(const Cleaner& cleaner, const std::vector<InputRef>& inputs, const BatchOptions& o) {
  install_signal_handlers();

  // Stream output: standard output, or one file written to a temporary name and renamed.
  std::FILE* out = stdout;
  std::string out_tmp;
  if (!o.output_is_dir && !o.output.empty() && o.output != "-") {
    out_tmp = o.output + temp_suffix();
    out = std::fopen(out_tmp.c_str(), "wb");
    if (!out) {
      std::fprintf(stderr, "scrubtext: %s: cannot write: %s\n", o.output.c_str(), std::strerror(errno));
      return kExitUsage;
    }
  }
  std::FILE* errors = nullptr;
  if (!o.errors_file.empty()) {
    errors = std::fopen(o.errors_file.c_str(), "wb");
    if (!errors) {
      std::fprintf(stderr, "scrubtext: %s: cannot write: %s\n", o.errors_file.c_str(), std::strerror(errno));
      return kExitUsage;
    }
  }
  const bool show_progress = o.progress == 1 || (o.progress == -1 && ::isatty(STDERR_FILENO));
  const auto start = std::chrono::steady_clock::now();
  auto last_draw = start;
  bool drew = false;
  Stats st;
  std::unique_ptr<ReportBuilder> report;
  if (!o.report_path.empty() && o.rules) report = std::make_unique<ReportBuilder>(*o.rules);
  bool write_failed = false;
  bool wrote_any = false;
  Cursor cursor(inputs, o);

  auto clear_progress = [&]() {
    if (drew) {
      std::fputs("\r\033[K", stderr);
      drew = false;
    }
  };
  auto draw = [&](bool force) {
    if (!show_progress) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_draw < kProgressEvery) return;
    last_draw = now;
    const double secs = std::chrono::duration<double>(now - start).count();
    const std::size_t done_files = cursor.files_started();
    std::string eta = "?";
    if (done_files > 0 && secs > 0.5) {
      const double per = secs / static_cast<double>(done_files);
      eta = human_rate(per * static_cast<double>(inputs.size() - std::min(done_files, inputs.size()))) + "s";
    }
    std::fprintf(stderr, "\r\033[K%zu/%zu files, %zu pages, %s pages/s, %s MB/s, ETA %s, %zu failed", done_files,
                 inputs.size(), st.pages, human_rate(static_cast<double>(st.pages) / std::max(secs, 1e-9)).c_str(),
                 human_rate(static_cast<double>(st.bytes) / 1e6 / std::max(secs, 1e-9)).c_str(), eta.c_str(),
                 st.failed);
    drew = true;
  };
  auto fail = [&](const Item& item, const std::string& reason, const std::string& key) {
    clear_progress();
    std::fprintf(stderr, "scrubtext: %s: %s\n", item.source.c_str(), reason.c_str());
    if (errors) std::fprintf(errors, "%s\t%s\n", item.source.c_str(), reason.c_str());
    ++st.failed;
    ++st.reasons[key];
  };

  {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, std::max(1u, o.threads));
    const std::size_t tokens = std::max(1u, o.threads) * kTokensPerThread;
    tbb::parallel_pipeline(
        tokens,
        tbb::make_filter<void, Item*>(tbb::filter_mode::serial_in_order,
                                      [&](tbb::flow_control& fc) -> Item* {
                                        if (g_interrupted.load()) {
                                          fc.stop();
                                          return nullptr;
                                        }
                                        std::unique_ptr<Item> item = cursor.next();
                                        if (!item) fc.stop();
                                        return item.release();
                                      }) &
            tbb::make_filter<Item*, Item*>(tbb::filter_mode::parallel,
                                           [&](Item* item) {
                                             if (item) clean_item(cleaner, o, *item);
                                             return item;
                                           }) &
            tbb::make_filter<Item*, void>(tbb::filter_mode::serial_in_order, [&](Item* raw) {
              std::unique_ptr<Item> item(raw);
              if (!item) return;
              if (item->skipped_existing) {
                ++st.skipped;
                ++st.reasons["skipped: output exists"];
                draw(false);
                return;
              }
              ++st.pages;
              st.bytes += item->input_bytes;
              if (!item->explain.empty()) {
                clear_progress();
                std::fputs(item->explain.c_str(), stderr);
              }
              if (!item->read_error.empty()) {
                fail(*item, item->read_error, "unreadable");
                if (report) report->add_failure(item->source, item->read_error);
              } else if (item->status != Status::Ok) {
                fail(*item, item->error, status_name(item->status));
                if (report) report->add_failure(item->source, item->error);
              } else {
                ++st.ok;
                if (report && item->doc) report->add_page(*item->doc, item->seconds);
              }
              if (!item->rendered.empty()) {
                if (o.output_is_dir) {
                  std::string why;
                  if (!write_atomically(item->out_path, item->rendered, why)) {
                    fail(*item, item->out_path + ": cannot write: " + why, "write error");
                    write_failed = true;
                  }
                } else {
                  if (wrote_any && (o.format == Format::Text || o.format == Format::Markdown)) std::fputs("\f\n", out);
                  if (std::fwrite(item->rendered.data(), 1, item->rendered.size(), out) != item->rendered.size()) {
                    if (errno == EPIPE) std::exit(kExitOk);
                    write_failed = true;
                  }
                  wrote_any = true;
                }
              }
              draw(false);
            }));
  }
  clear_progress();
  if (o.output_is_dir) sweep_stale_temporaries(o.output);
  if (std::fflush(out) != 0) {
    if (errno == EPIPE) std::exit(kExitOk);
    write_failed = true;
  }
  if (errors) std::fclose(errors);
  if (!out_tmp.empty()) {
    if (std::fclose(out) != 0 || std::rename(out_tmp.c_str(), o.output.c_str()) != 0) {
      std::fprintf(stderr, "scrubtext: %s: cannot write: %s\n", o.output.c_str(), std::strerror(errno));
      std::remove(out_tmp.c_str());
      return kExitUsage;
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (report) {
    report->set_totals(secs);
    std::string why;
    if (!report->write(o.report_path, why)) {
      std::fprintf(stderr, "scrubtext: %s: cannot write the report: %s\n", o.report_path.c_str(), why.c_str());
      write_failed = true;
    }
  }
  const bool summary = !o.quiet && (st.pages + st.skipped > 1 || show_progress || g_interrupted.load());
  if (summary) {
    std::string reasons;
    for (const auto& [k, v] : st.reasons) reasons += (reasons.empty() ? "" : ", ") + k + " " + std::to_string(v);
    std::fprintf(stderr, "scrubtext: %zu pages (%.1f MB) in %.2f s: %s pages/s, %s MB/s; %zu ok, %zu failed, %zu skipped%s%s%s\n",
                 st.pages, static_cast<double>(st.bytes) / 1e6, secs, human_rate(static_cast<double>(st.pages) / std::max(secs, 1e-9)).c_str(),
                 human_rate(static_cast<double>(st.bytes) / 1e6 / std::max(secs, 1e-9)).c_str(), st.ok, st.failed,
                 st.skipped, reasons.empty() ? "" : " (", reasons.c_str(), reasons.empty() ? "" : ")");
  }
  if (g_interrupted.load()) {
    std::fprintf(stderr, "scrubtext: interrupted; pages in flight were finished and written\n");
    return kExitInterrupted;
  }
  if (write_failed) return kExitUsage;
  return st.failed ? kExitSomeFailed : kExitOk;
}

}  // namespace scrubtext::cli
