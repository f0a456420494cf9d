package seed

// Given names and family names common in Trentino and in Italy, and some of
// the communities that live there. They are drawn at random and combined,
// so no generated person is a real one.
var (
	givenNamesF = []string{
		"Giulia", "Francesca", "Chiara", "Sara", "Martina", "Valentina", "Elena", "Alessia", "Federica", "Silvia",
		"Anna", "Laura", "Paola", "Roberta", "Elisa", "Giorgia", "Marta", "Serena", "Ilaria", "Veronica",
		"Monica", "Cristina", "Barbara", "Michela", "Lucia", "Sofia", "Aurora", "Beatrice", "Camilla", "Irene",
		"Daniela", "Katia", "Manuela", "Nadia", "Patrizia", "Sabrina", "Tiziana", "Alice", "Greta", "Nicole",
		"Fatima", "Olena", "Ana", "Mihaela", "Ioana", "Jasmina", "Amina", "Leila", "Natalia", "Svetlana",
	}
	givenNamesM = []string{
		"Marco", "Andrea", "Luca", "Matteo", "Alessandro", "Davide", "Simone", "Federico", "Stefano", "Michele",
		"Giovanni", "Francesco", "Lorenzo", "Paolo", "Roberto", "Daniele", "Nicola", "Fabio", "Mattia", "Riccardo",
		"Alberto", "Claudio", "Enrico", "Giacomo", "Massimo", "Maurizio", "Mirko", "Omar", "Pietro", "Thomas",
		"Walter", "Diego", "Emanuele", "Filippo", "Gabriele", "Ivan", "Manuel", "Samuele", "Tommaso", "Cristian",
		"Mohamed", "Youssef", "Ahmed", "Bogdan", "Ion", "Arben", "Dritan", "Oleksandr", "Karim", "Rachid",
	}
	familyNames = []string{
		"Moser", "Pedrotti", "Dallapiccola", "Zanoni", "Bertoldi", "Cristofolini", "Dalpiaz", "Tomasi", "Fedrizzi",
		"Chiusole", "Nicolodi", "Pisetta", "Zeni", "Gottardi", "Andreatta", "Bonvecchio", "Bazzanella", "Dallago",
		"Leonardi", "Pojer", "Sartori", "Stenico", "Valentini", "Zanella", "Ioriatti", "Perini", "Micheli", "Job",
		"Rossi", "Ferrari", "Russo", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno",
		"Gallo", "Conti", "De Luca", "Costa", "Giordano", "Mancini", "Rizzo", "Lombardi", "Moretti", "Barbieri",
		"Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo",
		"Gentile", "Martinelli", "Vitale", "Pellegrini", "Palumbo", "Sanna", "Fabbri", "Marchetti", "Serra", "Villa",
		"Popescu", "Ionescu", "Hoxha", "Kovalenko", "Benali", "El Amrani", "Shevchenko", "Dumitru", "Berisha", "Kaur",
	}
	companyWords = []string{
		"Dolomiti", "Adige", "Brenta", "Garda", "Valsugana", "Rotaliana", "Fiemme", "Non", "Sole", "Primiero",
		"Paganella", "Lagarina", "Giudicarie", "Cembra", "Ledro", "Bondone", "Lavarone", "Tesino", "Vanoi", "Rendena",
	}
)
