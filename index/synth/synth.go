// Package synth generates realistic synthetic listings for benchmarks and
// tests of the search index and the relay: titles and descriptions in
// several languages, a long tail of tags, real ISO 3166-2 regions,
// lognormal prices, and a location on one listing in ten. The same seed
// always yields the same listings, without any data files.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/listing"
)

// Item is one generated listing with what a relay would know beside it.
type Item struct {
	Listing    *listing.Listing
	SellerName string
	SellerHost string
	Received   time.Time
}

// TextBytes is the size of the listing's title and description: the raw
// text an index is measured against.
func (it Item) TextBytes() int { return len(it.Listing.Title) + len(it.Listing.Description) }

// Base is the time the generated listings are published before.
var Base = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// Generator makes listings. It is not safe for concurrent use.
type Generator struct {
	seed  uint64
	hosts int
}

// New returns a generator for the given seed.
func New(seed uint64) *Generator { return &Generator{seed: seed, hosts: 500} }

// Region is an ISO 3166-2 subdivision with a point inside it.
type Region struct {
	Code     string
	Lat, Lon float64
}

// Regions are the subdivisions listings are placed in: real ISO 3166-2
// codes with a point near each one's main city.
var Regions = []Region{
	{"US-CA", 37.77, -122.42}, {"US-NY", 40.71, -74.01}, {"US-TX", 30.27, -97.74}, {"US-WA", 47.61, -122.33},
	{"US-IL", 41.88, -87.63}, {"US-MA", 42.36, -71.06}, {"US-FL", 25.76, -80.19}, {"US-CO", 39.74, -104.99},
	{"US-OR", 45.52, -122.68}, {"US-GA", 33.75, -84.39}, {"CA-ON", 43.65, -79.38}, {"CA-QC", 45.50, -73.57},
	{"CA-BC", 49.28, -123.12}, {"MX-CMX", 19.43, -99.13}, {"BR-SP", -23.55, -46.63}, {"BR-RJ", -22.91, -43.17},
	{"AR-C", -34.60, -58.38}, {"CL-RM", -33.45, -70.67}, {"GB-ENG", 51.51, -0.13}, {"GB-SCT", 55.95, -3.19},
	{"IE-D", 53.35, -6.26}, {"FR-IDF", 48.86, 2.35}, {"FR-ARA", 45.76, 4.84}, {"FR-PAC", 43.30, 5.37},
	{"DE-BE", 52.52, 13.40}, {"DE-BY", 48.14, 11.58}, {"DE-HH", 53.55, 9.99}, {"DE-NW", 50.94, 6.96},
	{"DE-HE", 50.11, 8.68}, {"NL-NH", 52.37, 4.90}, {"NL-ZH", 51.92, 4.48}, {"BE-BRU", 50.85, 4.35},
	{"ES-MD", 40.42, -3.70}, {"ES-CT", 41.39, 2.17}, {"ES-AN", 37.39, -5.98}, {"PT-11", 38.72, -9.14},
	{"PT-13", 41.15, -8.61}, {"IT-25", 45.46, 9.19}, {"IT-62", 41.90, 12.50}, {"IT-72", 40.85, 14.27},
	{"CH-ZH", 47.37, 8.54}, {"AT-9", 48.21, 16.37}, {"SE-AB", 59.33, 18.07}, {"NO-03", 59.91, 10.75},
	{"DK-84", 55.68, 12.57}, {"FI-18", 60.17, 24.94}, {"PL-14", 52.23, 21.01}, {"CZ-10", 50.08, 14.44},
	{"RU-MOW", 55.76, 37.62}, {"RU-SPE", 59.93, 30.34}, {"JP-13", 35.68, 139.69}, {"JP-27", 34.69, 135.50},
	{"KR-11", 37.57, 126.98}, {"IN-MH", 19.08, 72.88}, {"IN-KA", 12.97, 77.59}, {"IN-DL", 28.61, 77.21},
	{"AU-NSW", -33.87, 151.21}, {"AU-VIC", -37.81, 144.96}, {"NZ-AUK", -36.85, 174.76}, {"ZA-GP", -26.20, 28.05},
	{"NG-LA", 6.52, 3.38}, {"KE-30", -1.29, 36.82}, {"TR-34", 41.01, 28.98}, {"SG-01", 1.29, 103.85},
}

// language is one language's words for titles and descriptions.
type language struct {
	tag     string
	share   float64
	nouns   []string
	adjs    []string
	filler  []string
	connect []string
}

var languages = []language{
	{tag: "", share: 0.55,
		nouns:   strings.Fields("dataset bicycle camera laptop guitar sofa tutoring consulting design translation report survey shoes jacket lamp table plants photos recipes course podcast website logo repair cleaning garden books vinyl drone keyboard tent kayak"),
		adjs:    strings.Fields("vintage new used handmade premium compact wireless organic weekly hourly detailed anonymized historical regional daily ergonomic lightweight waterproof rare classic"),
		filler:  strings.Fields("the with for and of in to on from by quality condition delivery available includes support data sample records updated clean accurate great perfect local shipping pickup hours project experience years service professional friendly fast reliable original warranty"),
		connect: strings.Fields("and with for in")},
	{tag: "de", share: 0.12,
		nouns:   strings.Fields("Datensatz Fahrrad Kamera Laptop Gitarre Sofa Nachhilfe Beratung Gestaltung Übersetzung Bericht Umfrage Schuhe Jacke Lampe Tisch Pflanzen Fotos Rezepte Kurs Laufschuhe Webseite Reparatur Reinigung Garten Bücher Schallplatten"),
		adjs:    strings.Fields("gebrauchte neue handgemachte hochwertige kabellose wöchentliche detaillierte anonymisierte historische regionale tägliche leichte wasserdichte seltene klassische"),
		filler:  strings.Fields("der die das mit für und von im zum auf aus Qualität Zustand Lieferung verfügbar enthält Daten Beispiel aktualisiert sauber genau lokal Abholung Stunden Projekt Erfahrung Jahre Service schnell zuverlässig"),
		connect: strings.Fields("und mit für im")},
	{tag: "fr", share: 0.10,
		nouns:   strings.Fields("données vélo appareil ordinateur guitare canapé cours conseil conception traduction rapport enquête chaussures veste lampe table plantes photos recettes formation site réparation nettoyage jardin livres vinyles"),
		adjs:    strings.Fields("ancien neuf occasion artisanal haut compact hebdomadaire détaillé anonymisé historique régional quotidien léger imperméable rare classique"),
		filler:  strings.Fields("le la les avec pour et de du dans sur qualité état livraison disponible comprend données exemple mis jour propre précis local retrait heures projet expérience ans service rapide fiable"),
		connect: strings.Fields("et avec pour de")},
	{tag: "es", share: 0.09,
		nouns:   strings.Fields("datos bicicleta cámara portátil guitarra sofá clases asesoría diseño traducción informe encuesta zapatos chaqueta lámpara mesa plantas fotos recetas curso sitio reparación limpieza jardín libros discos"),
		adjs:    strings.Fields("antiguo nuevo usado artesanal premium compacto semanal detallado anonimizado histórico regional diario ligero impermeable raro clásico"),
		filler:  strings.Fields("el la los con para y de del en sobre calidad estado entrega disponible incluye datos muestra actualizado limpio preciso local recogida horas proyecto experiencia años servicio rápido fiable"),
		connect: strings.Fields("y con para de")},
	{tag: "it", share: 0.05,
		nouns:   strings.Fields("dati bicicletta fotocamera portatile chitarra divano lezioni consulenza progettazione traduzione rapporto sondaggio scarpe giacca lampada tavolo piante foto ricette corso sito riparazione pulizia giardino libri"),
		adjs:    strings.Fields("vintage nuovo usato artigianale compatto settimanale dettagliato anonimizzato storico regionale giornaliero leggero impermeabile raro classico"),
		filler:  strings.Fields("il la con per e di del in su qualità condizione consegna disponibile include esempio aggiornato pulito preciso locale ritiro ore progetto esperienza anni servizio veloce affidabile"),
		connect: strings.Fields("e con per di")},
	{tag: "pt-BR", share: 0.05,
		nouns:   strings.Fields("dados bicicleta câmera notebook violão sofá aulas consultoria design tradução relatório pesquisa sapatos jaqueta luminária mesa plantas fotos receitas curso site conserto limpeza jardim livros"),
		adjs:    strings.Fields("antigo novo usado artesanal compacto semanal detalhado anonimizado histórico regional diário leve impermeável raro clássico"),
		filler:  strings.Fields("o a os com para e de do em sobre qualidade estado entrega disponível inclui amostra atualizado limpo preciso local retirada horas projeto experiência anos serviço rápido confiável"),
		connect: strings.Fields("e com para de")},
	{tag: "ru", share: 0.04,
		nouns:   strings.Fields("данные велосипед камера ноутбук гитара диван уроки консультации дизайн перевод отчёт опрос обувь куртка лампа стол растения фотографии рецепты курс сайт ремонт уборка сад книги"),
		adjs:    strings.Fields("винтажный новый подержанный ручной компактный еженедельный подробный анонимный исторический региональный ежедневный лёгкий редкий классический"),
		filler:  strings.Fields("с для и в на из качество состояние доставка доступно включает пример обновлено точный местный самовывоз часы проект опыт лет сервис быстро надёжно"),
		connect: strings.Fields("и с для в")},
}

// commonTags are the head of the tag distribution; the tail is generated.
var commonTags = strings.Fields("running cycling photography music furniture electronics tutoring consulting design translation data climate finance health education gardening books vinyl outdoor camping travel cooking fitness gaming art crafts fashion kids pets home repair cleaning marketing software ai maps weather transport energy agriculture sports")

const vocabTail = 20000 // generated rare words per language

// Listing returns the i-th listing of the sequence; the same seed and i
// always give the same listing.
func (g *Generator) Listing(i int) Item {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	lang := pickLang(r.Float64())
	lg := languages[lang]
	noun := lg.nouns[zipf(r, len(lg.nouns))]
	adj := lg.adjs[r.IntN(len(lg.adjs))]
	var title strings.Builder
	title.WriteString(capitalize(adj) + " " + noun)
	for n := 2 + r.IntN(5); n > 0; n-- {
		title.WriteString(" " + word(r, lg))
	}
	var desc strings.Builder
	words := 40 + r.IntN(80)
	for w := 0; w < words; w++ {
		if w > 0 {
			desc.WriteByte(' ')
		}
		switch {
		case r.IntN(25) == 0:
			desc.WriteString(noun)
		case r.IntN(10) == 0:
			desc.WriteString(lg.adjs[r.IntN(len(lg.adjs))])
		default:
			desc.WriteString(word(r, lg))
		}
		if r.IntN(14) == 0 {
			desc.WriteByte('.')
		}
	}
	types := listing.Types
	typ := types[weighted(r, []float64{0.3, 0.3, 0.25, 0.15})]
	ptype := listing.PriceTypes[weighted(r, []float64{0.6, 0.15, 0.1, 0.05, 0.1})]
	model := listing.PricingModels[weighted(r, []float64{0.7, 0.2, 0.1})]
	if typ != listing.TypeDataProduct && model == listing.PricingPayPerQuery {
		model = listing.PricingOneTime
	}
	currency := []string{"USD", "EUR", "GBP", "JPY", "CAD"}[weighted(r, []float64{0.5, 0.3, 0.1, 0.05, 0.05})]
	amount := ""
	switch ptype {
	case listing.PriceFree:
		amount, currency = "0", ""
	case listing.PriceTimeCredit:
		currency = listing.CurrencyTimeCredit
		amount = strconv.Itoa(1 + r.IntN(8))
	case listing.PriceNegotiable:
		if r.IntN(2) == 0 {
			amount = lognormal(r, currency)
		}
	default:
		amount = lognormal(r, currency)
	}
	if ptype == listing.PriceNegotiable && amount == "" {
		amount = lognormal(r, currency)
	}
	reg := Regions[zipf(r, len(Regions))]
	var tags []string
	seen := map[string]bool{}
	for n := 1 + r.IntN(5); n > 0; n-- {
		var t string
		if r.IntN(3) > 0 {
			t = commonTags[zipf(r, len(commonTags))]
		} else {
			t = "t" + strconv.Itoa(zipf(r, 5000))
		}
		if !seen[t] {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	host := fmt.Sprintf("hub%d.example", zipf(r, g.hosts))
	user := fmt.Sprintf("u%d", r.IntN(10))
	owner := "https://" + host + "/users/" + user
	created := Base.Add(-time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
	updated := created
	if r.IntN(4) == 0 {
		updated = created.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))
	}
	l := &listing.Listing{
		ID:            fmt.Sprintf("l%d", i),
		Owner:         owner,
		Type:          typ,
		Title:         title.String(),
		Description:   desc.String(),
		Language:      lg.tag,
		Price:         listing.Price{Amount: amount, Currency: currency, Type: ptype, Model: model},
		Status:        listing.StatusActive,
		Tags:          tags,
		LocationPref:  listing.LocationGlobal,
		Visibility:    listing.VisibilityPublic,
		Region:        reg.Code,
		FederatedAPID: fmt.Sprintf("https://%s/listings/%d", host, i),
		Created:       created,
		Updated:       updated,
	}
	if r.IntN(10) == 0 {
		l.Location = &listing.GeoPoint{Lat: reg.Lat + r.NormFloat64()*0.3, Lon: reg.Lon + r.NormFloat64()*0.3}
		l.LocationPref = listing.LocationLocal
	}
	return Item{Listing: l, SellerName: "Seller " + user + "@" + host, SellerHost: host, Received: created.Add(time.Second)}
}

func pickLang(x float64) int {
	for i, l := range languages {
		if x < l.share {
			return i
		}
		x -= l.share
	}
	return 0
}

// word draws a word: mostly the language's common words, sometimes one of
// a long Zipf tail of rare words.
func word(r *rand.Rand, lg language) string {
	switch n := r.IntN(20); {
	case n < 11:
		return lg.filler[zipf(r, len(lg.filler))]
	case n < 12:
		return lg.nouns[zipf(r, len(lg.nouns))]
	default:
		k := zipf(r, vocabTail)
		stem := []rune(lg.nouns[k%len(lg.nouns)])
		return string(stem[:2]) + strconv.FormatInt(int64(k), 36) + "x"
	}
}

// zipf draws from 0..n-1 with probability about proportional to 1/(k+1).
func zipf(r *rand.Rand, n int) int {
	// Inverse of the continuous approximation of the harmonic CDF.
	k := int(math.Exp(r.Float64()*math.Log(float64(n)+1))) - 1
	if k >= n {
		k = n - 1
	}
	return k
}

func weighted(r *rand.Rand, w []float64) int {
	x := r.Float64()
	for i, p := range w {
		if x < p {
			return i
		}
		x -= p
	}
	return len(w) - 1
}

// lognormal draws a price with median about 40 major units.
func lognormal(r *rand.Rand, currency string) string {
	major := math.Exp(math.Log(40) + 1.3*r.NormFloat64())
	if currency == "JPY" {
		major *= 150
	}
	minor := int64(math.Round(major * math.Pow10(listing.Decimals(currency))))
	if minor < 1 {
		minor = 1
	}
	return listing.FormatMinor(minor, currency)
}

func capitalize(s string) string {
	for i, c := range s {
		return strings.ToUpper(string(c)) + s[i+len(string(c)):]
	}
	return s
}

// TextQueries returns n text queries of the kind people type: one or two
// words in a listing language, sometimes a "quoted phrase" or a -word
// exclusion. The same seed gives the same queries.
func (g *Generator) TextQueries(n int) []string {
	r := rand.New(rand.NewPCG(g.seed, 1<<40))
	out := make([]string, n)
	for i := range out {
		lg := languages[pickLang(r.Float64())]
		noun := lg.nouns[zipf(r, len(lg.nouns))]
		adj := lg.adjs[r.IntN(len(lg.adjs))]
		switch r.IntN(6) {
		case 0, 1:
			out[i] = noun
		case 2, 3:
			out[i] = adj + " " + noun
		case 4:
			out[i] = `"` + adj + " " + noun + `"`
		default:
			out[i] = noun + " -" + lg.adjs[r.IntN(len(lg.adjs))]
		}
	}
	return out
}

// HeavyTextQueries returns the costliest text queries a relay's index
// takes on 100,000 listings of seed 42: each at or near the limits on q
// (8 phrases, 8 exclusions, 32 parts, the phrase cost of index
// MaxPhraseCost), made of the commonest English words of the listings,
// where phrases and exclusions cost most. Benchmarks run them to check
// that no search costs much more than 100 ms of CPU.
func HeavyTextQueries() []string {
	return []string{
		// A common word less eight exclusions, one a phrase of common words.
		`dataset -"great perfect" -local -includes -delivery -available -support -data -sample`,
		// Exclusions only: every listing but those they match.
		`-"great perfect" -dataset -local -includes -delivery -available -support -data`,
		// A phrase of the commonest words with more words, or exclusions.
		`"quality condition" dataset local includes delivery available`,
		`"quality condition" dataset -local -includes -delivery -available -support -data -sample -service`,
		`dataset "quality condition local includes delivery available support data"`,
		`quality -"professional friendly"`,
		// Eight phrases and eight exclusions.
		`"vintage kayak" "new tent" "used drone" "rare vinyl" "classic books" "compact keyboard" "premium logo" "daily podcast" -quality -condition -local -includes -delivery -available -support -data`,
		// 32 common words.
		`quality condition local includes delivery available support data sample service records clean premium updated vintage accurate great perfect used new handmade shipping pickup hours camera project experience years professional friendly fast reliable`,
	}
}
