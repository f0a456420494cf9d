package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"incontro/matching"
)

// maxAdBytes bounds the ad text check-ad reads.
const maxAdBytes = 1 << 20

func newCheckAdCommand(stdin io.Reader, stdout io.Writer) *cobra.Command {
	var contract string
	cmd := &cobra.Command{
		Use:   "check-ad",
		Short: "Check the wording of a job ad for discriminatory requirements",
		Long: `check-ad reads the text of a job ad (title and description) on standard input and prints on
standard output one JSON object {"findings":[…]}: each finding gives the ground of discrimination
(age, sex, appearance, nationality, religion, politics, family, health, disability, orientation),
the excerpt, an explanation in Italian and the legal reference. The exit status is 0 whether or not
anything is found. It needs no database.`,
		Example: `  echo "Cercasi barista donna, età massima 35 anni" | incontro check-ad
  incontro check-ad --contract apprenticeship < annuncio.txt`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("check-ad takes no arguments: give the ad text on standard input")
			}
			return nil
		},
		RunE: func(*cobra.Command, []string) error {
			if contract != "" && !matching.IsContractType(contract) {
				var codes []string
				for _, t := range matching.ContractTypes() {
					codes = append(codes, t.Code)
				}
				return fmt.Errorf("--contract %q is not a contract type; use one of %s", contract, strings.Join(codes, ", "))
			}
			text, err := io.ReadAll(io.LimitReader(stdin, maxAdBytes+1))
			if err != nil {
				return fmt.Errorf("reading the ad from standard input: %w", err)
			}
			if len(text) > maxAdBytes {
				return fmt.Errorf("the ad on standard input is longer than %d bytes", maxAdBytes)
			}
			if !utf8.Valid(text) {
				return fmt.Errorf("the ad on standard input is not UTF-8 text")
			}
			enc := json.NewEncoder(stdout)
			enc.SetEscapeHTML(false)
			return enc.Encode(struct {
				Findings []matching.AdFinding `json:"findings"`
			}{matching.CheckAd(string(text), contract)})
		},
	}
	cmd.Flags().StringVar(&contract, "contract", "", "contract type of the vacancy (e.g. apprenticeship, permanent), which decides whether an age band is lawful")
	return cmd
}
