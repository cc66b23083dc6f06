/// The one-page ROI pyramid (Owyang's Social Media ROI Pyramid; Altimeter's framework):
/// executive figures on top, department KPIs in the middle, activity at the bottom.
public struct Pyramid: Sendable, Equatable, Codable {
    public struct Executive: Sendable, Equatable, Codable {
        public var figures: RoiFigures
        /// The previous window of equal length, for the trend.
        public var previous: RoiFigures
        /// (value − previous value) / previous value; `nil` when the previous value is 0.
        public var valueTrend: Double?
        public var valueByDepartment: [RoiRow]
        /// With `by` = `site`: one row per site (as `roi --by site`); absent otherwise.
        public var valueBySite: [RoiRow]?
        /// `nil` without service conversations (docs/roi.md: what counts as service).
        public var deflectionSavingsCents: Int64?
        /// Service cost / resolved, for explaining a negative deflection; `nil` with none resolved.
        public var costPerResolutionCents: Int64?
        /// The yardstick of deflection (`[valuation] call_center_contact_cost`).
        public var callCenterContactCostCents: Int64?
        /// Revenue from orders beside the logged value, with the attribution model (issue 14);
        /// absent from daemons older than orders.
        public var orderRevenue: OrderRevenue?

        enum CodingKeys: String, CodingKey {
            case figures, previous
            case valueTrend = "value_trend", valueByDepartment = "value_by_department", valueBySite = "value_by_site"
            case deflectionSavingsCents = "deflection_savings_cents", costPerResolutionCents = "cost_per_resolution_cents"
            case callCenterContactCostCents = "call_center_contact_cost_cents", orderRevenue = "order_revenue"
        }
    }

    public struct DepartmentKpis: Sendable, Equatable, Codable {
        public var department: String
        public var kpis: Kpis
    }

    /// One employee (label per the privacy switch) on one channel.
    public struct Activity: Sendable, Equatable, Codable {
        public var employee: String
        public var channel: String
        public var conversations: Int64
        public var minutes: Int64
        public var sentiment: SentimentRatio

        public init(employee: String, channel: String, conversations: Int64, minutes: Int64, sentiment: SentimentRatio) {
            self.employee = employee
            self.channel = channel
            self.conversations = conversations
            self.minutes = minutes
            self.sentiment = sentiment
        }
    }

    public struct Practitioners: Sendable, Equatable, Codable {
        /// `off`, `pseudonymous` or `named`; with `off`, `activity` is empty.
        public var employeeFigures: String
        public var activity: [Activity]
        public var sentiment: SentimentRatio
        public var shareOfVoice: [String: Double]
        /// Conversations without department or outcome, waiting for classification or review.
        public var awaitingReview: Int64

        enum CodingKeys: String, CodingKey {
            case activity, sentiment
            case employeeFigures = "employee_figures", shareOfVoice = "share_of_voice", awaitingReview = "awaiting_review"
        }
    }

    public var window: TimeSpan
    public var previousWindow: TimeSpan?
    public var executive: Executive
    public var managers: [DepartmentKpis]
    public var practitioners: Practitioners

    enum CodingKeys: String, CodingKey {
        case window, executive, managers, practitioners
        case previousWindow = "previous_window"
    }

    /// Builds the pyramid from the window's (department, outcome) and (department, channel)
    /// cells, the previous window's total and the per-employee-and-channel activity (already
    /// labelled per the privacy switch).
    public init(window: TimeSpan, previousWindow: TimeSpan?, outcomes: [AggregateCell], channels: [AggregateCell],
                previous: RoiSums, activity: [Activity], employeeFigures: EmployeeFigures, callCenterContactCostCents: Int64,
                serviceDepartments: Set<String> = ["service"]) {
        self.window = window
        self.previousWindow = previousWindow
        let all = Kpis(outcomes: outcomes, channels: channels, callCenterContactCostCents: callCenterContactCostCents,
                       serviceDepartments: serviceDepartments)
        var byDepartment: [String: [AggregateCell]] = [:]
        for cell in outcomes { byDepartment[cell.department ?? "unassigned", default: []].append(cell) }
        var channelsByDepartment: [String: [AggregateCell]] = [:]
        for cell in channels { channelsByDepartment[cell.department ?? "unassigned", default: []].append(cell) }
        let departmentSums = byDepartment.mapValues { $0.reduce(RoiSums()) { $0 + $1.sums } }
        executive = Executive(
            figures: all.figures, previous: RoiFigures(previous),
            valueTrend: previous.valueCents == 0 ? nil
                : Double(all.figures.valueCents - previous.valueCents) / Double(abs(previous.valueCents)),
            valueByDepartment: departmentSums.sorted { $0.key < $1.key }.map { RoiRow(key: $0.key, figures: RoiFigures($0.value)) },
            deflectionSavingsCents: all.deflectionSavingsCents, costPerResolutionCents: all.costPerResolutionCents,
            callCenterContactCostCents: callCenterContactCostCents)
        managers = byDepartment.sorted { $0.key < $1.key }.map {
            DepartmentKpis(department: $0.key, kpis: Kpis(outcomes: $0.value, channels: channelsByDepartment[$0.key] ?? [],
                                                          callCenterContactCostCents: callCenterContactCostCents,
                                                          serviceDepartments: serviceDepartments))
        }
        practitioners = Practitioners(
            employeeFigures: employeeFigures.rawValue, activity: employeeFigures == .off ? [] : activity,
            sentiment: all.sentiment, shareOfVoice: all.shareOfVoice,
            awaitingReview: outcomes.filter { $0.department == nil || $0.label == nil }.reduce(0) { $0 + $1.sums.conversations })
    }
}
