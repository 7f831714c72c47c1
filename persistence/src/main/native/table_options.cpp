// LevelDB options that leveldbjni 1.8's Options has no field for (LevelDB 1.8 had neither the
// table file size nor leveldbjni a filter policy), and a bound on how much of the table files is
// memory-mapped. LevelDb.java names them for the next open on its own thread; build-leveldbjni.sh
// makes leveldbjni's reading of an Options call eddy_table_options, so they reach LevelDB's
// Options on the way into DB::Open.
#include <fcntl.h>
#include <jni.h>
#include <leveldb/env.h>
#include <leveldb/filter_policy.h>
#include <leveldb/options.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

namespace {

thread_local size_t table_file_bytes = 0;  // 0: LevelDB's own (2 MB)
thread_local int bloom_bits_per_key = 0;   // 0: no filter
thread_local int64_t mapped_bytes = -1;    // -1: LevelDB's own (up to 1,000 files mapped)

// Kept for the process's life: a database uses its policy and Env until it is closed, and a
// process opens a handful, so one is made per value and kept.
template <typename T, typename Make>
T *kept(std::map<int64_t, T *> &made, std::mutex &lock, int64_t key, Make make) {
  std::lock_guard<std::mutex> guard(lock);
  T *&value = made[key];
  if (value == nullptr) value = make();
  return value;
}

const leveldb::FilterPolicy *bloom_filter(int bits_per_key) {
  static std::mutex lock;
  static std::map<int64_t, const leveldb::FilterPolicy *> policies;
  return kept(policies, lock, bits_per_key, [bits_per_key] { return leveldb::NewBloomFilterPolicy(bits_per_key); });
}

// A table file read with pread(), as LevelDB reads the files it does not map.
class PreadFile : public leveldb::RandomAccessFile {
 public:
  PreadFile(std::string name, int fd) : name_(std::move(name)), fd_(fd) {}
  ~PreadFile() override { ::close(fd_); }

  leveldb::Status Read(uint64_t offset, size_t n, leveldb::Slice *result, char *scratch) const override {
    ssize_t read = ::pread(fd_, scratch, n, static_cast<off_t>(offset));
    if (read < 0) {
      *result = leveldb::Slice(scratch, 0);
      return leveldb::Status::IOError(name_, std::strerror(errno));
    }
    *result = leveldb::Slice(scratch, static_cast<size_t>(read));
    return leveldb::Status::OK();
  }

 private:
  const std::string name_;
  const int fd_;
};

// The system's Env, but for table files: they are mapped (by LevelDB, within its own limit) while
// the mapped files' sizes add up to no more than the budget, and read with pread() after that. A
// file LevelDB itself declines to map (past its 1,000) still counts against the budget until closed.
// On this machine's virtual machine, a process with many gigabytes of files mapped saw its threads
// wait tens of milliseconds for a core (docs/benchmarks.md, "Mapped table files").
class MappingBudgetEnv : public leveldb::EnvWrapper {
 public:
  explicit MappingBudgetEnv(int64_t budget) : leveldb::EnvWrapper(leveldb::Env::Default()), available_(budget) {}

  leveldb::Status NewRandomAccessFile(const std::string &name, leveldb::RandomAccessFile **result) override {
    uint64_t size = 0;
    // An empty file is not mapped either: it goes the way of a budget of 0, to Table::Open's "too short".
    if (target()->GetFileSize(name, &size).ok() && size > 0 && take(static_cast<int64_t>(size))) {
      leveldb::RandomAccessFile *file = nullptr;
      leveldb::Status status = target()->NewRandomAccessFile(name, &file);
      if (!status.ok()) {
        give(static_cast<int64_t>(size));
        *result = nullptr;
        return status;
      }
      *result = new Budgeted(file, this, static_cast<int64_t>(size));
      return status;
    }
    int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      *result = nullptr;
      return errno == ENOENT ? leveldb::Status::NotFound(name, std::strerror(errno))
                             : leveldb::Status::IOError(name, std::strerror(errno));
    }
    *result = new PreadFile(name, fd);
    return leveldb::Status::OK();
  }

 private:
  // A mapped file, whose size goes back to the budget when LevelDB closes it.
  class Budgeted : public leveldb::RandomAccessFile {
   public:
    Budgeted(leveldb::RandomAccessFile *file, MappingBudgetEnv *env, int64_t size) : file_(file), env_(env), size_(size) {}
    ~Budgeted() override {
      delete file_;
      env_->give(size_);
    }
    leveldb::Status Read(uint64_t offset, size_t n, leveldb::Slice *result, char *scratch) const override {
      return file_->Read(offset, n, result, scratch);
    }

   private:
    leveldb::RandomAccessFile *const file_;
    MappingBudgetEnv *const env_;
    const int64_t size_;
  };

  bool take(int64_t size) {
    int64_t now = available_.load();
    while (now >= size) {
      if (available_.compare_exchange_weak(now, now - size)) return true;
    }
    return false;
  }

  void give(int64_t size) { available_.fetch_add(size); }

  std::atomic<int64_t> available_;
};

leveldb::Env *mapping_budget_env(int64_t budget) {
  static std::mutex lock;
  static std::map<int64_t, leveldb::Env *> envs;
  return kept(envs, lock, budget, [budget]() -> leveldb::Env * { return new MappingBudgetEnv(budget); });
}

}  // namespace

extern "C" JNIEXPORT void JNICALL Java_io_eddy_persistence_LevelDb_tableOptionsForNextOpen(
    JNIEnv *, jclass, jlong file_bytes, jint bits_per_key, jlong mapped) {
  table_file_bytes = file_bytes > 0 ? static_cast<size_t>(file_bytes) : 0;
  bloom_bits_per_key = bits_per_key > 0 ? bits_per_key : 0;
  mapped_bytes = mapped >= 0 ? mapped : -1;
}

void eddy_table_options(leveldb::Options *options) {
  if (table_file_bytes > 0) options->max_file_size = table_file_bytes;
  if (bloom_bits_per_key > 0) options->filter_policy = bloom_filter(bloom_bits_per_key);
  if (mapped_bytes >= 0) options->env = mapping_budget_env(mapped_bytes);
}
