// `faultline check` on a batch of files, as `check dir/*` gives it: the real binary on a
// folder that holds histories beside a README, a TSV, a subfolder and an empty file.
#include <fstream>
#include <string>

#include "e2e_support.h"

using namespace faultline::e2e;

namespace {

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

const std::string valid_history =
    R"({"process":0,"type":"invoke","f":"write","value":1})" "\n"
    R"({"process":0,"type":"ok","f":"write","value":1})" "\n"
    R"({"process":1,"type":"invoke","f":"read","value":null})" "\n"
    R"({"process":1,"type":"ok","f":"read","value":1})" "\n";

// A read of a value nobody wrote.
const std::string invalid_history =
    R"({"process":0,"type":"invoke","f":"write","value":1})" "\n"
    R"({"process":0,"type":"ok","f":"write","value":1})" "\n"
    R"({"process":1,"type":"invoke","f":"read","value":null})" "\n"
    R"({"process":1,"type":"ok","f":"read","value":2})" "\n";

// JSON Lines whose second line completes an operation nobody invoked.
const std::string malformed_history =
    R"({"process":0,"type":"invoke","f":"write","value":1})" "\n"
    R"({"process":3,"type":"ok","f":"write","value":1})" "\n";

struct Folder {
  TempStore temp;
  fs::path dir = temp.path / "histories";
  Folder() {
    fs::create_directories(dir / "subfolder");
    write_file(dir / "README.md", "# Histories\n\nRecorded on a Tuesday.\n");
    write_file(dir / "figures.tsv", "run\tops\n1\t4\n");
    write_file(dir / "empty.jsonl", "");
    write_file(dir / "a-valid.jsonl", valid_history);
    write_file(dir / "b-invalid.jsonl", invalid_history);
  }
  std::vector<std::string> arguments() const {
    std::vector<std::string> files = {"check"};
    for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path().string());
    return files;
  }
};

}  // namespace

TEST_CASE("check on a folder: files that are not histories are warned of and skipped, the exit code is the worst verdict") {
  Folder folder;
  const Run run = run_faultline(folder.arguments(), folder.temp.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 1);
  CHECK(run.output.find("warning: skipped " + (folder.dir / "README.md").string()) != std::string::npos);
  CHECK(run.output.find("warning: skipped " + (folder.dir / "figures.tsv").string()) != std::string::npos);
  CHECK(run.output.find("warning: skipped " + (folder.dir / "subfolder").string()) != std::string::npos);
  CHECK(run.output.find("invalid  " + (folder.dir / "b-invalid.jsonl").string()) != std::string::npos);
  CHECK(run.output.find("valid    " + (folder.dir / "a-valid.jsonl").string()) != std::string::npos);
  CHECK(run.output.find("valid    " + (folder.dir / "empty.jsonl").string() + "  ops=0") != std::string::npos);
}

TEST_CASE("check on a folder: only valid histories beside other files exit 0") {
  Folder folder;
  fs::remove(folder.dir / "b-invalid.jsonl");
  const Run run = run_faultline(folder.arguments(), folder.temp.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 0);
}

TEST_CASE("check: a malformed history makes the batch an input error, naming its line") {
  Folder folder;
  write_file(folder.dir / "c-malformed.jsonl", malformed_history);
  const Run run = run_faultline(folder.arguments(), folder.temp.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 3);
  CHECK(run.output.find((folder.dir / "c-malformed.jsonl").string() + ":2") != std::string::npos);
  CHECK(run.output.find("invalid  " + (folder.dir / "b-invalid.jsonl").string()) != std::string::npos);
}

TEST_CASE("check: when no file is a history, nothing was checked: exit 3") {
  Folder folder;
  const Run run = run_faultline({"check", (folder.dir / "README.md").string(), (folder.dir / "subfolder").string()},
                                folder.temp.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 3);
  CHECK(run.output.find("none of the 2 files is a history") != std::string::npos);
}

TEST_CASE("check: an EDN history with a :key field is checked per key (a valid history on two keys is valid)") {
  TempStore temp;
  const fs::path file = temp.path / "two-keys.edn";
  write_file(file,
             "{:process 0, :type :invoke, :f :write, :key \"a\", :value 1}\n"
             "{:process 0, :type :ok, :f :write, :key \"a\", :value 1}\n"
             "{:process 1, :type :invoke, :f :write, :key \"b\", :value 2}\n"
             "{:process 1, :type :ok, :f :write, :key \"b\", :value 2}\n"
             "{:process 2, :type :invoke, :f :read, :key \"a\", :value nil}\n"
             "{:process 2, :type :ok, :f :read, :key \"a\", :value 1}\n");
  const Run run = run_faultline({"check", file.string()}, temp.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 0);
  CHECK(run.output.find("keys=2") != std::string::npos);
}

TEST_CASE("check --model list-append: a stale read is a G-single-item-realtime, explained, serializable allows it") {
  TempStore temp;
  const fs::path file = temp.path / "stale.jsonl";
  write_file(file,
             R"({"process":0,"type":"invoke","f":"txn","value":[["append",5,1]]})" "\n"
             R"({"process":0,"type":"ok","f":"txn","value":[["append",5,1]]})" "\n"
             R"({"process":1,"type":"invoke","f":"txn","value":[["r",5,null]]})" "\n"
             R"({"process":1,"type":"ok","f":"txn","value":[["r",5,[]]]})" "\n");
  const Run strict = run_faultline({"check", "--model", "list-append", file.string()}, temp.path / "strict.txt");
  INFO(strict.output);
  CHECK(strict.exit_code == 1);
  CHECK(strict.output.find("txns=2") != std::string::npos);
  CHECK(strict.output.find("anomalies: G-single-item-realtime") != std::string::npos);
  CHECK(strict.output.find("T2 did not see T1's append of 1 to key 5 (it read [])") != std::string::npos);

  const Run serializable =
      run_faultline({"check", "--model", "list-append", "--consistency", "serializable", "--json", file.string()},
                    temp.path / "serializable.txt");
  INFO(serializable.output);
  CHECK(serializable.exit_code == 0);
  CHECK(serializable.output.find(R"("valid":true)") != std::string::npos);

  const Run typo = run_faultline({"check", "--model", "list-append", "--consistency", "serialisable", file.string()},
                                 temp.path / "typo.txt");
  CHECK(typo.exit_code == 3);
  CHECK(typo.output.find("--consistency: unknown model 'serialisable'") != std::string::npos);
}

TEST_CASE("check --model rw-register: a stale read is a G-single-item-realtime, an input error names the line") {
  TempStore temp;
  const fs::path file = temp.path / "stale.jsonl";
  write_file(file,
             R"({"process":0,"type":"invoke","f":"txn","value":[["w","x",1]]})" "\n"
             R"({"process":0,"type":"ok","f":"txn","value":[["w","x",1]]})" "\n"
             R"({"process":1,"type":"invoke","f":"txn","value":[["r","x",null],["w","x",2]]})" "\n"
             R"({"process":1,"type":"ok","f":"txn","value":[["r","x",1],["w","x",2]]})" "\n"
             R"({"process":2,"type":"invoke","f":"txn","value":[["r","x",null]]})" "\n"
             R"({"process":2,"type":"ok","f":"txn","value":[["r","x",1]]})" "\n");
  const Run strict = run_faultline({"check", "--model", "rw-register", file.string()}, temp.path / "strict.txt");
  INFO(strict.output);
  CHECK(strict.exit_code == 1);
  CHECK(strict.output.find("txns=3") != std::string::npos);
  CHECK(strict.output.find("anomalies: G-single-item-realtime") != std::string::npos);
  CHECK(strict.output.find("read key \"x\" as 1, so it did not see T") != std::string::npos);

  const Run serializable =
      run_faultline({"check", "--model", "rw-register", "--consistency", "serializable", "--json", file.string()},
                    temp.path / "serializable.txt");
  INFO(serializable.output);
  CHECK(serializable.exit_code == 0);
  CHECK(serializable.output.find(R"("model":"rw-register")") != std::string::npos);
  CHECK(serializable.output.find(R"("valid":true)") != std::string::npos);

  const fs::path twice = temp.path / "twice.jsonl";  // a value written twice: not checkable
  write_file(twice,
             R"({"process":0,"type":"invoke","f":"txn","value":[["w","x",1]]})" "\n"
             R"({"process":0,"type":"ok","f":"txn","value":[["w","x",1]]})" "\n"
             R"({"process":1,"type":"invoke","f":"txn","value":[["w","x",1]]})" "\n"
             R"({"process":1,"type":"ok","f":"txn","value":[["w","x",1]]})" "\n");
  const Run duplicate = run_faultline({"check", "--model", "rw-register", twice.string()}, temp.path / "twice.txt");
  INFO(duplicate.output);
  CHECK(duplicate.exit_code == 2);
  CHECK(duplicate.output.find("not checked (duplicate-writes)") != std::string::npos);

  const fs::path broken = temp.path / "broken.jsonl";
  write_file(broken, R"({"process":0,"type":"invoke","f":"txn","value":[["w","x",1]]})" "\n" "{not json\n");
  const Run malformed = run_faultline({"check", "--model", "rw-register", broken.string()}, temp.path / "broken.txt");
  INFO(malformed.output);
  CHECK(malformed.exit_code == 3);
  CHECK(malformed.output.find("broken.jsonl:2: ") != std::string::npos);
}

TEST_CASE("generate --model rw-register|list-append: valid as generated, invalid with a planted stale read") {
  TempStore temp;
  for (const std::string model : {"rw-register", "list-append"}) {
    const fs::path clean = temp.path / (model + "-clean.jsonl");
    const fs::path stale = temp.path / (model + "-stale.jsonl");
    const Run made = run_faultline({"generate", "--model", model, "--transactions", "2000", "--processes", "4", "--seed", "3",
                                    "-o", clean.string()},
                                   temp.path / "made.txt");
    INFO(made.output);
    REQUIRE(made.exit_code == 0);
    CHECK(made.output.find("wrote 2000 " + model + " transactions") != std::string::npos);
    CHECK(run_faultline({"check", "--model", model, clean.string()}, temp.path / "clean.txt").exit_code == 0);
    REQUIRE(run_faultline({"generate", "--model", model, "--transactions", "2000", "--seed", "3", "--anomaly", "stale-read",
                           "-o", stale.string()},
                          temp.path / "made.txt")
                .exit_code == 0);
    const Run checked = run_faultline({"check", "--model", model, stale.string()}, temp.path / "stale.txt");
    INFO(checked.output);
    CHECK(checked.exit_code == 1);
    CHECK(checked.output.find("G-single-item-realtime") != std::string::npos);
  }
  const Run mixed = run_faultline({"generate", "--model", "rw-register", "--ops", "10"}, temp.path / "mixed.txt");
  CHECK(mixed.exit_code == 3);
  CHECK(mixed.output.find("--model rw-register takes --transactions") != std::string::npos);
  const Run lost = run_faultline({"generate", "--model", "list-append", "--anomaly", "lost-write"}, temp.path / "lost.txt");
  CHECK(lost.exit_code == 3);
}

TEST_CASE("generate --model kv|multi-register|fifo-queue: valid as generated, invalid with a planted anomaly") {
  TempStore temp;
  for (const std::string model : {"kv", "multi-register", "fifo-queue"}) {
    INFO(model);
    const fs::path clean = temp.path / (model + "-clean.jsonl");
    const fs::path planted = temp.path / (model + "-planted.jsonl");
    const Run made = run_faultline({"generate", "--model", model, "--ops", "1000", "--clients", "5", "--fail", "0.05", "--seed", "4",
                                    "-o", clean.string()},
                                   temp.path / "made.txt");
    INFO(made.output);
    REQUIRE(made.exit_code == 0);
    CHECK(made.output.find("wrote 1000 " + model + " ops") != std::string::npos);
    CHECK(run_faultline({"check", "--model", model, clean.string()}, temp.path / "clean.txt").exit_code == 0);
    const std::string anomaly = model == "fifo-queue" ? "duplicate-dequeue" : "stale-read";
    REQUIRE(run_faultline({"generate", "--model", model, "--ops", "1000", "--seed", "4", "--anomaly", anomaly, "-o", planted.string()},
                          temp.path / "made.txt")
                .exit_code == 0);
    const Run checked = run_faultline({"check", "--model", model, planted.string()}, temp.path / "planted.txt");
    INFO(checked.output);
    CHECK(checked.exit_code == 1);
  }
  const Run wrong = run_faultline({"generate", "--model", "fifo-queue", "--anomaly", "stale-read"}, temp.path / "wrong.txt");
  CHECK(wrong.exit_code == 3);
  CHECK(wrong.output.find("--anomaly must be none or duplicate-dequeue for --model fifo-queue") != std::string::npos);
}

TEST_CASE("check --model kv: Porcupine's kv log format, one EDN map per line with :key") {
  TempStore temp;
  const fs::path file = temp.path / "c2.txt";
  write_file(file,
             "{:process 0, :type :invoke, :f :append, :key \"0\", :value \"x 0 0 y\"}\n"
             "{:process 0, :type :ok, :f :append, :key \"0\", :value \"x 0 0 y\"}\n"
             "{:process 1, :type :invoke, :f :get, :key \"0\", :value nil}\n"
             "{:process 1, :type :ok, :f :get, :key \"0\", :value \"\"}\n");
  const Run run = run_faultline({"check", "--model", "kv", file.string()}, temp.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 1);  // the get began after the append completed
  CHECK(run.output.find("keys=1") != std::string::npos);
  CHECK(run.output.find("get returned \"\", but the key can only hold \"x 0 0 y\" here") != std::string::npos);
}
