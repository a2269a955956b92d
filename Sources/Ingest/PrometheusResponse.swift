/// The envelope of a Prometheus HTTP API response (`{"status": …, "data": {…}, "error": …}`), shared by the status
/// and metric `prometheus-json` readers: it checks the envelope and hands the `data` object to the caller.
package enum PrometheusResponse {
    /// The `warnings` and `infos` a server put in a response (Thanos, Mimir and Prometheus use them to say the data
    /// may be partial), kept while a reader reads so the import can print them.
    package final class Notes: @unchecked Sendable {
        package var warnings: [String] = []
        package init() {}

        /// One warning diagnostic per note, for the file `file`.
        package func diagnostics(file: String) -> [Diagnostic] {
            warnings.map {
                Diagnostic(severity: .warning, file: file, message: "the server warned: \(MessageText.quoted($0))",
                           hint: "its data may be partial; check the server and the range before relying on this import")
            }
        }
    }

    /// Reads the whole response; `readData` is called with the tokenizer positioned inside the `data` object.
    /// An error response is rejected with Prometheus's own error text; a missing `status` or `data` is an error.
    /// Reads a `query_range` response whose `data` is a `matrix`: `readSeries` is called with the first token of
    /// each element of `result`. `what` names the import in messages ("metrics", "status").
    package static func readMatrix(_ json: JSONTokenizer, what: String, notes: Notes? = nil,
                                   readSeries: (JSONToken) throws -> Void) throws {
        try read(json, notes: notes) {
            try json.members { name in
                switch name {
                case "resultType":
                    let type = try json.string(for: "\"resultType\"") ?? ""
                    guard type == "matrix" else {
                        throw json.error("\"resultType\" is \(MessageText.quoted(type)); a \(what) import needs a range query "
                                         + "(/api/v1/query_range) whose resultType is \"matrix\"")
                    }
                case "result":
                    let token = try json.nextValue()
                    guard token == .beginArray else { throw json.error("\"result\" must be an array of series, not \(token.kind)") }
                    try json.elements { try readSeries($0) }
                default:
                    try json.skipValue()
                }
            }
        }
    }

    package static func read(_ json: JSONTokenizer, notes: Notes? = nil, readData: () throws -> Void) throws {
        let first = try json.nextValue()
        guard first == .beginObject else {
            throw json.error("expected a Prometheus query_range response (a JSON object), found \(first.kind)")
        }
        var status: (text: String, place: JSONPosition)?
        var errorText: String?
        var errorType: String?
        var sawData = false
        try json.members { name in
            switch name {
            case "status":
                let text = try json.string(for: "\"status\"") ?? ""
                guard text == "success" || text == "error" else {
                    throw json.error("\"status\" is \(MessageText.quoted(text)) (expected \"success\")")
                }
                status = (text, json.position)
            case "error": errorText = try json.string(for: "\"error\"", allowNull: true)
            case "errorType": errorType = try json.string(for: "\"errorType\"", allowNull: true)
            case "warnings", "infos":
                let token = try json.nextValue()
                if token == .null { return }
                guard token == .beginArray else { throw json.error("\"\(name)\" must be an array of strings, not \(token.kind)") }
                try json.elements { element in
                    guard case let .string(text) = element else {
                        throw json.error("\"\(name)\" must be an array of strings, not \(element.kind)")
                    }
                    notes?.warnings.append(name == "infos" ? "info: " + text : text)
                }
            case "data":
                let token = try json.nextValue()
                if token == .null { return }
                guard token == .beginObject else { throw json.error("\"data\" must be an object, not \(token.kind)") }
                sawData = true
                try readData()
            default:
                try json.skipValue()
            }
        }
        try json.finish()
        if let status, status.text == "error" {
            let kind = errorType.map { " (\(MessageText.escaped($0)))" } ?? ""  // one line, whatever the server wrote
            throw json.error("the file is a Prometheus error response\(kind): \(MessageText.quoted(errorText ?? "no error text")) "
                             + "(fix the query and export the response again)", at: status.place)
        }
        guard status != nil else {
            throw Diagnostic(file: json.displayName, message: "not a Prometheus query_range response: it has no \"status\" member")
        }
        guard sawData else {
            throw Diagnostic(file: json.displayName, message: "not a Prometheus query_range response: it has no \"data\" member")
        }
    }
}
