package bench

import (
	"os"
	"testing"

	"incontro/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
