// The desktop side of "connect to agent": a real `loadline-cli serve`, followed incrementally;
// the connection lost, retried with growing delays, and resumed when the agent is back.
#include <csignal>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QSignalSpy>
#include <QTest>

#include "app/gui/agentclient.h"
#include "serveprocess.h"
#include "testpki.h"

using loadline::app::AgentClient;
using loadline::app::AgentEndpoint;
using namespace loadline::testing;

namespace {
int freeLoopbackPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}
}  // namespace

class TestAgentClient : public QObject {
    Q_OBJECT
private slots:
    void followsIncrementallyAndRetriesWithBackoff();
    void followsAnHttpsAgentWithItsCaAndSaysWhyAHandshakeFailed();
};

void TestAgentClient::followsIncrementallyAndRetriesWithBackoff() {
    auto server = std::make_unique<ServeProcess>(std::vector<std::string>{"--interval", "0.2"});
    QVERIFY2(server->ok(), server->log().c_str());
    const int port = server->port();

    AgentClient client;
    QSignalSpy states(&client, &AgentClient::stateChanged);
    AgentEndpoint plain;
    plain.port = quint16(port);
    client.connectTo(plain);
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == AgentClient::State::Live, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(client.timeline().system.size() >= 6, 30000);

    // Incremental: later requests ask only for what is newer, and carry fewer rows than we hold.
    const int before = client.requestCount();
    QTRY_VERIFY_WITH_TIMEOUT(client.requestCount() >= before + 2, 30000);
    QVERIFY2(client.lastRequestUrl().query().startsWith(QStringLiteral("start=")),
             qPrintable(client.lastRequestUrl().toString()));
    QVERIFY(client.lastReplyRows() < int(client.timeline().system.size()));
    // Rows arrive in order, without duplicates.
    const auto& ts = client.timeline().system.timestamps();
    for (std::size_t i = 1; i < ts.size(); ++i) QVERIFY(ts[i] > ts[i - 1]);

    // The agent goes away: shown, and retried with a doubling delay (1 s, then 2 s, ...).
    server->terminate();
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == AgentClient::State::Retrying, 30000);
    QVERIFY(states.last().at(1).toString().contains(QStringLiteral("lost")));
    QTRY_VERIFY_WITH_TIMEOUT(client.retryDelayMs() >= 4000, 30000);
    const std::size_t held = client.timeline().system.size();
    QVERIFY(held >= 6);  // what was received stays

    // The agent comes back on the same port: the client resumes where it was.
    server =
        std::make_unique<ServeProcess>(std::vector<std::string>{"--interval", "0.2", "--port", std::to_string(port)});
    QVERIFY2(server->ok(), server->log().c_str());
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == AgentClient::State::Live, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(client.timeline().system.size() > held, 30000);
    QCOMPARE(client.retryDelayMs(), 1000);
    client.disconnectFromAgent();
    QCOMPARE(client.state(), AgentClient::State::Idle);
}

void TestAgentClient::followsAnHttpsAgentWithItsCaAndSaysWhyAHandshakeFailed() {
    TempDir dir;
    TestPki pki(dir.path());
    QVERIFY2(pki.makeCa("ca"), pki.log().c_str());
    QVERIFY2(pki.makeCa("otherca"), pki.log().c_str());
    QVERIFY2(pki.makeCert("ca", "agent", "localhost", "DNS:localhost"), pki.log().c_str());
    QVERIFY2(pki.makeCert("ca", "expired", "localhost", "DNS:localhost", -1), pki.log().c_str());
    QVERIFY2(pki.makeCa("clientca"), pki.log().c_str());
    QVERIFY2(pki.makeCert("clientca", "desktop", "desktop", "", 2, true), pki.log().c_str());
    ServeProcess server({"--interval", "0.2", "--tls-cert", pki.pem("agent"), "--tls-key", pki.key("agent"),
                         "--tls-client-ca", pki.pem("clientca")});
    QVERIFY2(server.ok(), server.log().c_str());
    auto endpoint = [&](const char* host, const std::string& ca, bool withCert) {
        AgentEndpoint e;
        e.host = QString::fromLatin1(host);
        e.port = quint16(server.port());
        e.https = true;
        e.caFile = QString::fromStdString(ca);
        if (withCert) {
            e.certFile = QString::fromStdString(pki.pem("desktop"));
            e.keyFile = QString::fromStdString(pki.key("desktop"));
        }
        return e;
    };

    AgentClient client;
    QSignalSpy states(&client, &AgentClient::stateChanged);
    client.connectTo(endpoint("localhost", pki.pem("ca"), true));
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == AgentClient::State::Live, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(client.timeline().system.size() >= 3, 30000);
    QCOMPARE(client.lastRequestUrl().scheme(), QStringLiteral("https"));

    // Another CA: not trusted, said so, and not retried (it would not get better).
    client.connectTo(endpoint("localhost", pki.pem("otherca"), true));
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == AgentClient::State::Failed, 30000);
    QVERIFY2(states.last().at(1).toString().contains(QStringLiteral("signed by an unknown CA")),
             qPrintable(states.last().at(1).toString()));
    QCOMPARE(client.timeline().system.size(), std::size_t(0));

    // The right CA, the wrong name: the certificate is for localhost.
    client.connectTo(endpoint("127.0.0.1", pki.pem("ca"), true));
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == AgentClient::State::Failed, 30000);
    QVERIFY2(states.last().at(1).toString().contains(QStringLiteral("is for localhost, not for 127.0.0.1")),
             qPrintable(states.last().at(1).toString()));

    // No client certificate: the agent refuses the handshake, and the message says what it may want.
    client.connectTo(endpoint("localhost", pki.pem("ca"), false));
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == AgentClient::State::Retrying, 30000);
    QVERIFY2(states.last().at(1).toString().contains(QStringLiteral("client certificate")),
             qPrintable(states.last().at(1).toString()));
    client.disconnectFromAgent();

    // An expired certificate is named as such (serve refuses to start with one, so openssl's own
    // test server presents it).
    const int port = freeLoopbackPort();
    QVERIFY(port > 0);
    const pid_t sserver = spawnProgram({"/usr/bin/openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port),
                                        "-cert", pki.pem("expired"), "-key", pki.key("expired"), "-www"},
                                       dir.file("s_server.log"));
    QVERIFY(sserver > 0);
    struct Reap {
        pid_t pid;
        ~Reap() {
            ::kill(pid, SIGTERM);
            waitForExit(pid, 10);
        }
    } reap{sserver};
    QTRY_VERIFY_WITH_TIMEOUT(readFile(dir.file("s_server.log")).find("ACCEPT") != std::string::npos, 30000);
    AgentEndpoint old;
    old.host = QStringLiteral("localhost");
    old.port = quint16(port);
    old.https = true;
    old.caFile = QString::fromStdString(pki.pem("ca"));
    client.connectTo(old);
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == AgentClient::State::Failed, 30000);
    QVERIFY2(states.last().at(1).toString().contains(QStringLiteral("certificate expired on")),
             qPrintable(states.last().at(1).toString()));
}

QTEST_MAIN(TestAgentClient)
#include "tst_agentclient.moc"
