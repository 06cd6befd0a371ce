// The machine formats: jsonl streams one object per line through a BatchedWriter; json builds one
// document and writes it at finish(), keeping a server's event records only up to a bound.
#include <memory>

#include "output/batched_writer.hpp"
#include "output/sink_internal.hpp"

namespace nt::output::detail {

namespace {

std::string dump_line(const Json& data) {
  std::string line = data.dump(-1, ' ', false, Json::error_handler_t::replace);
  line += '\n';
  return line;
}

class JsonlSink final : public Sink {
 public:
  JsonlSink(std::FILE* out, const SinkOptions& o) : writer_(out), verbose_(o.verbose) {}
  void write(const Record& rec) override { writer_.write(dump_line(rec.data)); }
  void finish() override { writer_.flush(); }
  void flush() override { writer_.flush(); }
  bool shows(Level level) const noexcept override { return level != Level::verbose || verbose_; }

 private:
  BatchedWriter writer_;
  bool verbose_;
};

// One document: {"command": ..., "schema_version": 1, "dropped_records": 0, "records": [...]}, written
// by finish(). Event records past max_kept_events are counted in dropped_records, not kept: a server's
// memory must not grow with every client that connects.
class JsonSink final : public Sink {
 public:
  JsonSink(std::FILE* out, const SinkOptions& o, std::shared_ptr<const RecordLog> log)
      : out_(out), log_(std::move(log)), verbose_(o.verbose), max_events_(o.max_kept_events) {
    doc_["command"] = o.command;
    doc_["schema_version"] = kSchemaVersion;
    doc_["dropped_records"] = 0;
    doc_["records"] = Json::array();
  }
  void write(const Record& rec) override {
    if (rec.event && kept_events_ >= max_events_) {
      ++dropped_;
      return;
    }
    kept_events_ += rec.event;
    doc_["records"].push_back(rec.data);
  }
  void finish() override {
    if (finished_) return;
    finished_ = true;
    doc_["dropped_records"] = dropped_;
    if (log_) log_->document(doc_);
    write_all(out_, doc_.dump(2, ' ', false, Json::error_handler_t::replace));
    write_all(out_, "\n");
    check_stream(out_);
  }
  bool shows(Level level) const noexcept override { return level != Level::verbose || verbose_; }

 private:
  std::FILE* out_;
  std::shared_ptr<const RecordLog> log_;
  Json doc_;
  bool verbose_;
  std::size_t max_events_;
  std::size_t kept_events_ = 0;
  uint64_t dropped_ = 0;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<Sink> make_json_sink(std::FILE* out, const SinkOptions& opts,
                                     std::shared_ptr<const RecordLog> log) {
  return std::make_unique<JsonSink>(out, opts, std::move(log));
}
std::unique_ptr<Sink> make_jsonl_sink(std::FILE* out, const SinkOptions& opts) {
  return std::make_unique<JsonlSink>(out, opts);
}

}  // namespace nt::output::detail
