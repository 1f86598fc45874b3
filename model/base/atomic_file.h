#pragma once
// Writing files so that readers never see a half-written one: bytes go to a temporary file in the
// same folder (PATH.tmp-XXXXXX), which is flushed to disk and then renamed over PATH. On any
// failure the temporary file is removed and attnx::Error names PATH.
#include <cstddef>
#include <string>
#include <string_view>

namespace attnx {

void writeFileAtomically(const std::string& path, std::string_view bytes);

// Streaming form, for files too large to assemble in memory first.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::string path);  // creates the temporary file; throws attnx::Error
  ~AtomicFileWriter();                          // removes the temporary file unless committed
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(const void* data, std::size_t n);  // throws attnx::Error
  void commit();  // fsync, close and rename over the target; throws attnx::Error

  const std::string& tempPath() const { return tmp_; }

 private:
  void fail(const std::string& what);  // removes the temporary file and throws

  std::string path_;
  std::string tmp_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace attnx
