public import Hummingbird
public import Logging

/// The HTTP application of a mail server: every route of the endpoint table under the base URL's path,
/// `/.well-known/dialogue-server`, `/health` and `/ready` (Spec: delivery.md#dlv-endpoints).
///
/// ```swift
/// let app = makeApplication(service: service, configuration: configuration)
/// try await app.runService()
/// ```
public func makeApplication(
    service: MailService, configuration: ApplicationConfiguration, logger: Logger = Logger(label: "dialogued")
) -> some ApplicationProtocol {
    Application(
        responder: MailResponder<BasicRequestContext>(service: service), configuration: configuration, logger: logger)
}
