#include "testpki.h"

#include <sys/wait.h>

#include "serveprocess.h"

namespace loadline::testing {

int runTool(const std::vector<std::string>& argv, const std::string& logPath, double seconds) {
    const pid_t pid = spawnProgram(argv, logPath);
    if (pid <= 0) return -1;
    const auto status = waitForExit(pid, seconds);
    if (!status) {
        ::kill(pid, SIGKILL);
        waitForExit(pid, 10);
        return -1;
    }
    return WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
}

bool TestPki::makeCa(const std::string& name) {
    return runTool(
               {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key(name), "-out", pem(name), "-days", "3", "-subj", "/CN=" + name + " test CA"},
               m_dir + "/openssl.log") == 0;
}

bool TestPki::makeCert(const std::string& ca, const std::string& name, const std::string& cn, const std::string& san,
                       int days, bool client) {
    const std::string csr = m_dir + "/" + name + ".csr", ext = m_dir + "/" + name + ".ext";
    writeFile(ext, (san.empty() ? std::string() : "subjectAltName=" + san + "\n") +
                       "extendedKeyUsage=" + (client ? "clientAuth" : "serverAuth") + "\n");
    if (runTool({"/usr/bin/openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", key(name), "-out", csr, "-subj", "/CN=" + cn},
                m_dir + "/openssl.log") != 0)
        return false;
    return runTool({"/usr/bin/openssl", "x509", "-req", "-in", csr, "-CA", pem(ca), "-CAkey", key(ca),
                    "-CAcreateserial", "-out", pem(name), "-days", std::to_string(days), "-extfile", ext},
                   m_dir + "/openssl.log") == 0;
}

std::string TestPki::log() const { return readFile(m_dir + "/openssl.log"); }

}  // namespace loadline::testing
