import ArgumentParser
import DialogueMessages
import DialogueServerConformance
import Foundation

extension ConformanceCommand {
    /// `--prepare-server DIR --domain D`: the credentials a server operator registers for the suite.
    func prepare(_ directory: String, domain: String?) throws {
        guard let domain else { throw fail("usage", "--prepare-server needs --domain", status: ExitStatus.usage) }
        let credentials: SuiteCredentials
        do {
            _ = try Address(canonical: "postmaster@" + domain)
            credentials = try SuiteCredentials.generate(
                domain: domain, peerPort: peerPort, now: UInt64(Date().timeIntervalSince1970))
        } catch {
            throw fail("usage", "cannot prepare credentials for '\(domain)': \(error)", status: ExitStatus.usage)
        }
        do { print(try credentials.write(to: directory)) } catch {
            throw fail("cannot-create", "\(error)", status: ExitStatus.cannotCreate)
        }
    }

    /// `--server URL --credentials DIR`: every check of the server suite, one line per failure.
    func checkServer(_ url: String, credentials directory: String?) async throws {
        guard let directory else { throw fail("usage", "--server needs --credentials", status: ExitStatus.usage) }
        let credentials: SuiteCredentials
        do { credentials = try SuiteCredentials.read(from: directory) } catch {
            throw fail("invalid-credentials", "\(error)", status: ExitStatus.noInput)
        }
        var suite = ServerSuite(baseURL: url, credentials: credentials)
        suite.requestTimeout = timeout < 30 ? 30 : timeout
        let verbose = self.verbose
        let report: ServerSuiteReport
        do {
            report = try await suite.run { result in
                if result.status != .passed || verbose { print(result.line) }
            }
        } catch {
            throw fail("suite-cannot-run", "\(error)", status: ExitStatus.unavailable)
        }
        if let json {
            let object: [String: Any] = [
                "passed": report.passed, "failed": report.failed, "skipped": report.skipped,
                "results": report.results.map {
                    ["anchor": $0.anchor, "name": $0.name, "status": $0.status.rawValue, "detail": $0.detail]
                },
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: json), options: .atomic)
        }
        print(report.closingLine)
        if report.failed > 0 || report.skipped > 0 { throw ExitCode(1) }
    }
}
