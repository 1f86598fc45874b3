#include "atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "error.h"

namespace attnx {
namespace {

std::string errnoText() { return std::strerror(errno); }

std::string folderOf(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw Error("cannot write a file with an empty name");
  std::vector<char> tmpl(path_.begin(), path_.end());
  const char suffix[] = ".tmp-XXXXXX";
  tmpl.insert(tmpl.end(), suffix, suffix + sizeof(suffix));  // includes the terminating NUL
  fd_ = ::mkstemp(tmpl.data());
  if (fd_ < 0) throw Error(path_ + ": cannot create a temporary file: " + errnoText());
  tmp_ = tmpl.data();
  // mkstemp makes the file private (0600); results are ordinary user files.
  ::fchmod(fd_, 0644);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !tmp_.empty()) ::unlink(tmp_.c_str());
}

void AtomicFileWriter::fail(const std::string& what) {
  const std::string msg = path_ + ": " + what + ": " + errnoText();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(tmp_.c_str());
  tmp_.clear();
  throw Error(msg);
}

void AtomicFileWriter::write(const void* data, std::size_t n) {
  if (fd_ < 0) throw Error(path_ + ": write after the file was closed");
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    // Large writes are split: Linux writes at most ~2 GiB per call.
    const std::size_t chunk = n < (std::size_t{1} << 30) ? n : (std::size_t{1} << 30);
    const ssize_t w = ::write(fd_, p, chunk);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail("write failed");
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

void AtomicFileWriter::commit() {
  if (fd_ < 0) throw Error(path_ + ": commit after the file was closed");
  if (::fsync(fd_) != 0) fail("fsync failed");
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    fd_ = -1;
    fail("close failed");
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) fail("cannot rename the temporary file");
  committed_ = true;
  // Make the rename itself durable; failure here cannot undo the write, so it is not an error.
  const int dir = ::open(folderOf(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void writeFileAtomically(const std::string& path, std::string_view bytes) {
  AtomicFileWriter w(path);
  w.write(bytes.data(), bytes.size());
  w.commit();
}

}  // namespace attnx
