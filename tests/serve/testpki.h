#pragma once
// A throwaway PKI for the TLS tests, made with the `openssl` command line in a test's directory:
// CAs, and server or client certificates they sign (EC P-256 keys, SANs as given).

#include <string>
#include <vector>

namespace loadline::testing {

/** Runs a program to completion (bounded); its exit code, or -1. Output goes to logPath. */
int runTool(const std::vector<std::string>& argv, const std::string& logPath, double seconds = 60);

class TestPki {
public:
    explicit TestPki(std::string dir) : m_dir(std::move(dir)) {}
    /** NAME.pem and NAME.key: a self-signed CA. */
    bool makeCa(const std::string& name);
    /** NAME.pem and NAME.key signed by the CA; san like "DNS:localhost,IP:127.0.0.1"; days may
     *  be negative for a certificate that has already expired. */
    bool makeCert(const std::string& ca, const std::string& name, const std::string& cn, const std::string& san,
                  int days = 2, bool client = false);
    std::string pem(const std::string& name) const { return m_dir + "/" + name + ".pem"; }
    std::string key(const std::string& name) const { return m_dir + "/" + name + ".key"; }
    /** What openssl said when a step failed. */
    std::string log() const;

private:
    std::string m_dir;
};

}  // namespace loadline::testing
