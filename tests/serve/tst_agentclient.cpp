// The desktop side of "connect to agent": a real `loadline-cli serve`, followed incrementally;
// the connection lost, retried with growing delays, and resumed when the agent is back.
#include <QSignalSpy>
#include <QTest>

#include "app/gui/agentclient.h"
#include "serveprocess.h"

using loadline::app::AgentClient;
using loadline::app::AgentEndpoint;
using namespace loadline::testing;

class TestAgentClient : public QObject {
    Q_OBJECT
private slots:
    void followsIncrementallyAndRetriesWithBackoff();
};

void TestAgentClient::followsIncrementallyAndRetriesWithBackoff() {
    auto server = std::make_unique<ServeProcess>(std::vector<std::string>{"--interval", "0.2"});
    QVERIFY2(server->ok(), server->log().c_str());
    const int port = server->port();

    AgentClient client;
    QSignalSpy states(&client, &AgentClient::stateChanged);
    client.connectTo(AgentEndpoint{QStringLiteral("127.0.0.1"), quint16(port), {}});
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
    server = std::make_unique<ServeProcess>(std::vector<std::string>{"--interval", "0.2", "--port", std::to_string(port)});
    QVERIFY2(server->ok(), server->log().c_str());
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == AgentClient::State::Live, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(client.timeline().system.size() > held, 30000);
    QCOMPARE(client.retryDelayMs(), 1000);
    client.disconnectFromAgent();
    QCOMPARE(client.state(), AgentClient::State::Idle);
}

QTEST_MAIN(TestAgentClient)
#include "tst_agentclient.moc"
