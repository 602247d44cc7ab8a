#pragma once
// Every loadline-cli command: int run(int argc, char** argv), where argv[0] names the command
// ("loadline-cli inspect"). Exit codes: 0 ok, 1 runtime failure, 2 bad input or usage.

namespace loadline::cli {

int runInspect(int argc, char** argv);
int runRecord(int argc, char** argv);
int runSnapshot(int argc, char** argv);
int runExportPng(int argc, char** argv);
int runFunctions(int argc, char** argv);
int runExportTrace(int argc, char** argv);
int runExportCsv(int argc, char** argv);
int runServe(int argc, char** argv);
int runImport(int argc, char** argv);
int runAlerts(int argc, char** argv);
int runCompare(int argc, char** argv);
int runReport(int argc, char** argv);
int runConvert(int argc, char** argv);

}  // namespace loadline::cli
