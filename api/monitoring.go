package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"incontro/matching"
)

// Monitoring: GET /api/v1/reports/monitoring?from=YYYY-MM-DD&to=YYYY-MM-DD
// [&provider_id=N][&format=json|csv|xlsx]. The monitor reads every provider
// (or one); an operator reads only its own provider, and asking for
// another's is 403: providers are no secret, their figures are. The
// figures and their definitions are matching.MonitoringReport's.

// MonitoringAnswer is the JSON answer: the report with the definitions of
// its figures.
type MonitoringAnswer struct {
	matching.MonitoringReport
	Preamble    string                `json:"preamble"`
	Definitions []matching.Definition `json:"definitions"`
}

// monitoringReport answers the monitoring report of a period.
func (s *Server) monitoringReport(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	for name := range q {
		switch name {
		case "from", "to", "provider_id", "format":
		default:
			return matching.FieldErrorf(name, "is not a parameter of this report (from, to, provider_id, format)")
		}
	}
	period, err := matching.ParsePeriod(q.Get("from"), q.Get("to"), s.now(), serviceZone)
	if err != nil {
		return err
	}
	providerID, err := queryInt(c, "provider_id", 1, 0)
	if err != nil {
		return err
	}
	if p := PrincipalFrom(ctx); p.Role == matching.RoleOperator {
		if providerID != 0 && providerID != p.ProviderID {
			return matching.Errorf(matching.EFORBIDDEN, "an operator reads the figures of its own provider only")
		}
		providerID = p.ProviderID
	}
	format := q.Get("format")
	switch format {
	case "", "json", "csv", "xlsx":
	default:
		return matching.FieldErrorf("format", "must be json, csv or xlsx")
	}
	rep, err := s.store.MonitoringReport(ctx, period, providerID)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("incontro-monitoring_%s_%s", period.From, period.To)
	if rep.Scope.ProviderID != nil {
		name += fmt.Sprintf("_provider-%d", *rep.Scope.ProviderID)
	}
	switch format {
	case "csv":
		b, err := monitoringCSV(&rep)
		if err != nil {
			return err
		}
		return attachment(c, name+".csv", "text/csv; charset=utf-8", b)
	case "xlsx":
		b, err := monitoringXLSX(&rep)
		if err != nil {
			return err
		}
		return attachment(c, name+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
	}
	return c.JSON(http.StatusOK, MonitoringAnswer{MonitoringReport: rep, Preamble: matching.MonitoringPreamble(),
		Definitions: matching.MonitoringDefinitions()})
}

// attachment answers a download.
func attachment(c echo.Context, filename, contentType string, body []byte) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", filename))
	return c.Blob(http.StatusOK, contentType, body)
}

// MonitoringCSVHeader is the header of the CSV download. The CSV is long:
// one line per figure of a group, which is what a spreadsheet's filters
// and pivot tables take without reshaping (a wide table per section would
// need one file per section). group is total, provider or operator;
// provider_id and operator_id are empty where they do not apply (an
// operator_id is empty for the requests with no operator, "unassigned");
// figure is a column of the section as in the definitions; an empty value
// is a share or median over nothing. UTF-8, comma-separated, decimal point.
var MonitoringCSVHeader = []string{"section", "group", "provider_id", "provider", "operator_id", "operator", "figure", "value"}

// monitoringCSV writes the report in the long CSV form.
func monitoringCSV(rep *matching.MonitoringReport) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(MonitoringCSVHeader); err != nil {
		return nil, err
	}
	for _, t := range rep.Tables() {
		for _, row := range t.Rows {
			g := row.Group
			for i, col := range t.Columns {
				rec := []string{t.Section, g.Kind, idText(g.ProviderID), g.ProviderName, idText(g.OperatorID), g.OperatorName,
					col, valueText(row.Values[i])}
				if err := w.Write(rec); err != nil {
					return nil, err
				}
			}
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func valueText(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// monitoringXLSX writes the report as a workbook: a first sheet with the
// period, the scope and the definitions, then one sheet per section with a
// header row and a row per group, numbers as numbers.
func monitoringXLSX(rep *matching.MonitoringReport) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	const first = "Report"
	if err := f.SetSheetName("Sheet1", first); err != nil {
		return nil, err
	}
	scope := "every provider"
	if rep.Scope.ProviderID != nil {
		scope = fmt.Sprintf("%s (provider %d)", rep.Scope.ProviderName, *rep.Scope.ProviderID)
	}
	tables := rep.Tables()
	titles := map[string]string{}
	for _, t := range tables {
		titles[t.Section] = t.Title
	}
	rows := [][]any{
		{"incontro: monitoring of the 4C/4D service"},
		{"From", rep.Period.From},
		{"To", rep.Period.To},
		{"Scope", scope},
		{"Generated at", rep.GeneratedAt.In(serviceZone).Format("2006-01-02 15:04:05 MST")},
		{"Feedback reminder (days)", rep.FeedbackReminderDays},
		{"Feedback give-up (days)", rep.FeedbackGiveUpDays},
		{},
		{"About the figures", matching.MonitoringPreamble()},
		{},
		{"Section", "Sheet", "Definition"},
	}
	for _, d := range matching.MonitoringDefinitions() {
		rows = append(rows, []any{d.Section, titles[d.Section], d.Text})
	}
	for i, r := range rows {
		if err := setRow(f, first, i+1, r); err != nil {
			return nil, err
		}
	}
	if err := firstErr(
		f.SetCellStyle(first, "A1", "A1", bold),
		f.SetCellStyle(first, "A2", "A9", bold),
		f.SetCellStyle(first, "A11", "C11", bold),
		f.SetCellStyle(first, "B9", "C"+strconv.Itoa(len(rows)), wrap),
		f.SetColWidth(first, "A", "A", 30),
		f.SetColWidth(first, "B", "B", 28),
		f.SetColWidth(first, "C", "C", 110),
	); err != nil {
		return nil, err
	}

	for _, t := range tables {
		if _, err := f.NewSheet(t.Title); err != nil {
			return nil, err
		}
		header := []any{"Group", "Provider ID", "Provider", "Operator ID", "Operator"}
		for _, col := range t.Columns {
			header = append(header, col)
		}
		if err := setRow(f, t.Title, 1, header); err != nil {
			return nil, err
		}
		for i, row := range t.Rows {
			g := row.Group
			cells := []any{g.Kind, optionalID(g.ProviderID), g.ProviderName, optionalID(g.OperatorID), g.OperatorName}
			for _, v := range row.Values {
				if v == nil {
					cells = append(cells, nil)
				} else {
					cells = append(cells, *v)
				}
			}
			if err := setRow(f, t.Title, i+2, cells); err != nil {
				return nil, err
			}
		}
		last, _ := excelize.CoordinatesToCellName(len(header), 1)
		if err := firstErr(
			f.SetCellStyle(t.Title, "A1", last, bold),
			f.SetColWidth(t.Title, "A", "E", 16),
			f.SetPanes(t.Title, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}),
		); err != nil {
			return nil, err
		}
	}
	f.SetActiveSheet(0)
	b, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// setRow writes the values of a row from column A; nil leaves a cell empty.
func setRow(f *excelize.File, sheet string, row int, values []any) error {
	for i, v := range values {
		if v == nil {
			continue
		}
		cell, err := excelize.CoordinatesToCellName(i+1, row)
		if err != nil {
			return err
		}
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			return err
		}
	}
	return nil
}

// optionalID is an id as a number, or an empty cell for none.
func optionalID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
