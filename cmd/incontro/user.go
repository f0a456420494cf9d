package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"incontro/matching"
	"incontro/password"
)

func newUserCommand(cfg *Config, stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage staff accounts (admins, monitors, operators)",
		Args:  cobra.NoArgs,
	}
	var (
		email, name, role, provider string
		passwordStdin               bool
	)
	add := &cobra.Command{
		Use:   "add",
		Short: "Create a staff account",
		Long: `user add creates an account for a member of staff: an admin, a monitor of the Province
or an operator of a provider (--provider with the provider's code). Employers and jobseekers
sign up by themselves. Without --password-stdin a password is generated and printed once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r := matching.Role(role)
			if r != matching.RoleAdmin && r != matching.RoleMonitor && r != matching.RoleOperator {
				return fmt.Errorf("--role must be admin, monitor or operator (employers and jobseekers sign up themselves)")
			}
			if (r == matching.RoleOperator) != (provider != "") {
				return fmt.Errorf("--provider is required for operators and only for them")
			}
			pw, generated := "", false
			if passwordStdin {
				line, err := bufio.NewReader(stdin).ReadString('\n')
				if err != nil && err != io.EOF {
					return fmt.Errorf("read the password from standard input: %w", err)
				}
				pw = strings.TrimRight(line, "\r\n")
			} else {
				pw, generated = matching.GeneratePassword(email, name), true
			}
			if err := matching.CheckPassword(pw, email, name); err != nil {
				return err
			}
			ctx := cmd.Context()
			m, err := openMain(ctx, *cfg, stderr, true)
			if err != nil {
				return err
			}
			defer m.Close()
			u := matching.User{Email: email, Name: name, Role: r, Status: matching.UserActive}
			if provider != "" {
				p, err := m.DB.ProviderByCode(ctx, provider)
				if matching.ErrorCode(err) == matching.ENOTFOUND {
					return fmt.Errorf("--provider: no provider has the code %q", provider)
				}
				if err != nil {
					return err
				}
				u.ProviderID = &p.ID
			}
			if u.PasswordHash, err = password.Hash(pw, password.Default); err != nil {
				return err
			}
			verified := m.DB.Now().UTC()
			u.EmailVerifiedAt = &verified
			if err := m.DB.CreateUser(ctx, &u); err != nil {
				return err
			}
			if err := m.DB.Audit(ctx, &matching.AuditEvent{At: verified, Action: "user_created", ObjectType: "user", ObjectID: &u.ID,
				Detail: []byte(`{"via":"command line"}`)}); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "created %s %s (id %d)\n", u.Role, u.Email, u.ID)
			if generated {
				fmt.Fprintf(stdout, "password (shown only now): %s\n", pw)
			}
			return m.Close()
		},
	}
	f := add.Flags()
	f.StringVar(&email, "email", "", "e-mail address (required)")
	f.StringVar(&name, "name", "", "full name (required)")
	f.StringVar(&role, "role", "", "admin, monitor or operator (required)")
	f.StringVar(&provider, "provider", "", "provider code, for operators (e.g. cpi-trento)")
	f.BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	for _, req := range []string{"email", "name", "role"} {
		_ = add.MarkFlagRequired(req)
	}
	cmd.AddCommand(add)
	return cmd
}
