package dev.spawntelemetry.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.RunningService;
import dev.spawntelemetry.TestApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard page in real headless Chromium (Debian's chromium and chromium-driver,
 * which .ci/run installs): what it shows is what {@code /stats} says.
 */
class DashboardIT {

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	@TempDir
	Path dataDirectory;

	RunningService service;

	WebDriver browser;

	@BeforeEach
	void start() {
		Path chromium = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
		Path chromedriver = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));
		assertThat(Files.isExecutable(chromium) && Files.isExecutable(chromedriver))
			.as("Chromium and ChromeDriver are needed at %s and %s: 'apt-get install chromium chromium-driver', "
					+ "as .ci/run does", chromium, chromedriver)
			.isTrue();
		this.service = RunningService.start(this.dataDirectory);
		ChromeOptions options = new ChromeOptions().setBinary(chromium.toString())
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
					"--disable-sync", "--window-size=1400,900");
		ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
			.build();
		this.browser = new ChromeDriver(driver, options);
	}

	@AfterEach
	void stop() {
		this.browser.quit();
		this.service.close();
	}

	@Test
	void showsTheNumbersThatStatsServes() throws IOException {
		TestApi api = this.service.api();
		// days ago, so that the chart of scout has days to pool
		backfill(api, "qwen3-coder", "scout", 10, "completed", 1);
		backfill(api, "qwen3-coder", "scout", 3, "completed", 4);
		backfill(api, "qwen3-coder", "scout", 2, "failed", 2);
		record(api, "kimi-k2.5", "builder", 5, 2, 1, 2);
		record(api, "kimi-k2.5", "scout", 3, 0, 0, 1);
		record(api, "openrouter/anthropic/claude-sonnet-4.5", "oracle", 4, 1, 0, 0);
		record(api, "glm-5", "watcher", 1, 3, 1, 0);
		record(api, "qwen3-coder", "scout", 9, 2, 0, 0);
		JsonNode stats = api.get("/stats").json();

		this.browser.get(url("/"));
		awaitStatus("live");

		assertThat(text(By.id("total-spawns"))).isEqualTo(String.valueOf(stats.get("total_spawns").asLong()));
		assertThat(text(By.id("total-models"))).isEqualTo(String.valueOf(stats.get("total_models").asInt()));
		assertThat(text(By.id("total-completed"))).isEqualTo("27");
		assertThat(text(By.id("total-open"))).isEqualTo("3");
		assertThat(text(By.id("overall-rate"))).as("27 of 39 resolved").isEqualTo("69%");
		for (Map.Entry<String, JsonNode> model : stats.get("models").properties()) {
			WebElement row = this.browser.findElement(By.cssSelector("[data-model='" + model.getKey() + "']"));
			assertThat(row.findElement(By.className("bar-count")).getText())
				.isEqualTo(String.valueOf(model.getValue().get("total_spawns").asLong()));
			for (Map.Entry<String, JsonNode> caste : model.getValue().get("by_caste").properties()) {
				WebElement cell = this.browser.findElement(
						By.cssSelector("td[data-model='" + model.getKey() + "'][data-caste='" + caste.getKey() + "']"));
				long completed = caste.getValue().get("success").asLong();
				long resolved = completed + caste.getValue().get("failures").asLong()
						+ caste.getValue().get("blocked").asLong();
				assertThat(cell.findElement(By.className("n")).getText())
					.as("how many resolved spawns the rate rests on, never read as successes of spawns")
					.isEqualTo(resolved + " resolved");
				assertThat(cell.findElement(By.className("rate")).getText())
					.as("the resolved success rate, as the advice ranks by")
					.isEqualTo(Math.round(100.0 * completed / resolved) + "%");
			}
		}
		assertThat(this.browser.findElements(By.cssSelector("#recent tbody tr"))).hasSize(10);
		JsonNode newest = stats.get("recent_decisions").get(stats.get("recent_decisions").size() - 1);
		WebElement time = this.browser.findElement(By.cssSelector("#recent tbody tr time"));
		assertThat(time.getDomAttribute("datetime")).isEqualTo(newest.get("timestamp").asString());
		assertThat(time.getText()).as("a date with the time").matches("[A-Z][a-z]{2} \\d{1,2}, \\d{2}:\\d{2}");
		assertBestModelMarkedAsRecommended(api);
		assertColourRampSpansTheRatesShown();
		assertStyledUnderItsContentSecurityPolicy(api);
		assertThat(text(By.cssSelector("#routing [data-source='task-based'] td.num")))
			.as("every spawn of the last 30 days, not the decisions the log still holds")
			.isEqualTo(String.valueOf(stats.get("total_spawns").asLong()));
		assertThat(text(By.id("routing-total"))).isEqualTo(String.valueOf(stats.get("total_spawns").asLong()));
		assertThat(this.browser.findElement(By.id("empty")).isDisplayed()).isFalse();
		assertThat(new Select(this.browser.findElement(By.id("caste-select"))).getFirstSelectedOption().getText())
			.as("the busiest caste first")
			.isEqualTo("scout");
		await().until((browser) -> "qwen3-coder".equals(browser.findElement(By.id("recommended")).getText()));
		assertTrendMatches(api, "scout");
		assertAdviceMatches(api, "scout");
		assertThat(text(By.id("advice-why"))).contains("router");
		new Select(this.browser.findElement(By.id("caste-select"))).selectByVisibleText("builder");
		await().until((browser) -> "builder".equals(browser.findElement(By.id("trend-caste")).getText()));
		assertAdviceMatches(api, "builder");
		screenshot("dashboard-1400px.png");

		assertBadgesMeetWcagAaContrast();

		this.browser.manage().window().setSize(new Dimension(390, 844));
		assertReadableOnAPhone();
		int height = ((Number) ((JavascriptExecutor) this.browser)
			.executeScript("return document.documentElement.scrollHeight")).intValue();
		System.out.println("The page at 390 px is " + height + " px tall");
		assertThat(height).as("a model's castes side by side, a decision in three lines").isLessThan(4000);
		assertNoWordBrokenAcrossLines();
		screenshot("dashboard-390px.png");
	}

	@Test
	void saysWhatRoutingGainedPerCasteInTheEvaluationsOwnWords() throws IOException {
		TestApi api = this.service.api();
		for (int i = 0; i < 80; i++) {
			JsonNode spawn = api
				.post("/spawns", "{\"caste\":\"builder\",\"route\":{\"candidates\":[\"glm-5\",\"kimi-k2.5\"]}}")
				.json();
			boolean completed = spawn.get("selected_model").asString().equals("glm-5") || i % 3 == 0;
			api.put("/spawns/" + spawn.get("spawn_id").asString() + "/outcome",
					"{\"outcome\":\"" + (completed ? "completed" : "failed") + "\"}");
		}
		record(api, "kimi-k2.5", "scout", 3, 1, 0, 0);
		JsonNode evaluation = api.get("/routes/builder/evaluation?days=7").json();

		this.browser.get(url("/"));
		awaitStatus("live");

		WebElement card = await()
			.until((browser) -> browser.findElement(By.cssSelector(".gain[data-caste='builder']")));
		assertThat(card.findElement(By.cssSelector("li[data-policy='logged']")).getText())
			.isEqualTo(evaluation.get("policies").get(0).get("summary").asString())
			.matches("routing: \\d+% ± \\d+");
		for (JsonNode policy : evaluation.get("policies")) {
			if (policy.get("policy").asString().equals("always")
					&& policy.get("model").asString().equals(evaluation.get("best_fixed").asString())) {
				assertThat(card.findElement(By.cssSelector("li[data-policy='always']")).getText())
					.isEqualTo(policy.get("summary").asString());
			}
		}
		assertThat(card.getText()).contains("80 routed spawns ended");
		assertThat(this.browser.findElements(By.cssSelector(".gain[data-caste='scout']")))
			.as("a caste with no routed spawn has no card")
			.isEmpty();
		screenshot("dashboard-gains.png");
	}

	@Test
	void saysSoWhenNothingIsRecordedAndWhenTheServiceIsGone() throws IOException {
		this.browser.get(url("/"));
		awaitStatus("live");

		assertThat(this.browser.findElement(By.id("empty")).isDisplayed()).isTrue();
		assertThat(text(By.id("total-spawns"))).isEqualTo("0");
		screenshot("dashboard-empty.png");

		this.service.close();
		awaitStatus("unreachable");
		assertThat(text(By.id("status"))).contains("unreachable");
		screenshot("dashboard-unreachable.png");
	}

	/**
	 * The page is served with a strict policy (its own scripts and styles only, never
	 * framed) and still draws its bars, colours and intervals, which it sets through the
	 * CSSOM.
	 */
	private void assertStyledUnderItsContentSecurityPolicy(TestApi api) {
		TestApi.Response page = api.get("/");
		assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'")
			.contains("style-src 'self'")
			.contains("frame-ancestors 'none'")
			.doesNotContain("unsafe-inline");
		assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
		WebElement bar = this.browser.findElement(By.cssSelector("[data-model='qwen3-coder'] .bar span.completed"));
		assertThat(bar.getSize().getWidth()).as("a bar's width, set under the policy").isPositive();
		WebElement cell = this.browser.findElement(By.cssSelector("td[data-model='qwen3-coder'][data-caste='scout']"));
		assertThat(cell.getCssValue("background-color")).isNotIn("rgba(0, 0, 0, 0)", "transparent");
		WebElement range = this.browser.findElement(By.cssSelector("#advice-chart .interval-row .range"));
		assertThat(range.getSize().getWidth()).as("an interval's width, set under the policy").isPositive();
	}

	/**
	 * Every text of the page against the background it is drawn on, by WCAG 2.1's
	 * relative luminance: at least 4.5:1, 3:1 for large text (AA). The four outcome
	 * badges are drawn once each for it, whichever outcomes the log holds now.
	 */
	private void assertBadgesMeetWcagAaContrast() {
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> texts = (List<Map<String, Object>>) ((JavascriptExecutor) this.browser).executeScript(
				"""
						const samples = ['completed', 'failed', 'blocked', 'open'].map((outcome) => {
						  const badge = document.createElement('span');
						  badge.className = 'badge ' + outcome;
						  badge.textContent = outcome;
						  document.getElementById('recent').append(badge);
						  return badge;
						});
						const rgba = (css) => css.match(/[\\d.]+/g).map(Number);
						const luminance = ([r, g, b]) => [r, g, b].map((c) => {
						  c /= 255;
						  return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
						}).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
						const background = (element) => {
						  for (let e = element; e; e = e.parentElement) {
						    const colour = rgba(getComputedStyle(e).backgroundColor);
						    if (colour.length < 4 || colour[3] > 0) return colour;
						  }
						  return [255, 255, 255];
						};
						const found = [];
						for (const element of document.body.querySelectorAll('*')) {
						  const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
						  if (!own || element.closest('svg') || element.getClientRects().length === 0) continue;
						  const style = getComputedStyle(element);
						  const [a, b] = [luminance(rgba(style.color)), luminance(background(element))].sort((x, y) => y - x);
						  const size = parseFloat(style.fontSize);
						  const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
						  found.push({ text: element.textContent.trim().slice(0, 40), ratio: (a + 0.05) / (b + 0.05),
						    needed: large ? 3 : 4.5 });
						}
						samples.forEach((badge) => badge.remove());
						return found;
						""");
		assertThat(texts).extracting((text) -> text.get("text")).contains("completed", "failed", "blocked", "open");
		assertThat(texts).allSatisfy((text) -> assertThat(((Number) text.get("ratio")).doubleValue())
			.as("contrast of '%s'", text.get("text"))
			.isGreaterThanOrEqualTo(((Number) text.get("needed")).doubleValue()));
		System.out.printf("WCAG AA: %d texts checked, the lowest contrast %.2f:1%n", texts.size(),
				texts.stream().mapToDouble((text) -> ((Number) text.get("ratio")).doubleValue()).min().orElse(0));
	}

	/**
	 * At 390 px nothing scrolls sideways: every model × caste cell and every decision's
	 * outcome is on the screen, labelled.
	 */
	private void assertReadableOnAPhone() {
		await().until((browser) -> ((Number) ((JavascriptExecutor) browser)
			.executeScript("return document.documentElement.scrollWidth")).intValue() <= 390);
		for (WebElement cell : this.browser.findElements(By.cssSelector("#grid td[data-model]"))) {
			assertThat(cell.isDisplayed()).isTrue();
			assertThat(cell.getRect().getX() + cell.getRect().getWidth()).as(cell.getDomAttribute("data-caste"))
				.isLessThanOrEqualTo(390);
			assertThat((String) ((JavascriptExecutor) this.browser)
				.executeScript("return getComputedStyle(arguments[0], '::before').content", cell))
				.contains(cell.getDomAttribute("data-caste"));
		}
		List<WebElement> outcomes = this.browser.findElements(By.cssSelector("#recent td[data-label='outcome']"));
		assertThat(outcomes).hasSize(10);
		for (WebElement outcome : outcomes) {
			assertThat(outcome.isDisplayed()).isTrue();
			assertThat(outcome.getRect().getX() + outcome.getRect().getWidth()).isLessThanOrEqualTo(390);
		}
	}

	/**
	 * One series per model of the caste, most used first, each point the resolved success
	 * rate of its day and the six before it, from the days /stats/trends serves; the
	 * chart starts at the caste's first day with a spawn, a week at least.
	 */
	private void assertTrendMatches(TestApi api, String caste) {
		await().until((browser) -> caste.equals(browser.findElement(By.id("trend-caste")).getText()));
		List<WebElement> series = this.browser.findElements(By.cssSelector("#trend-chart g.series"));
		assertThat(series).isNotEmpty();
		// scout's first spawn was 10 days ago: the chart starts on its day, not 30 days
		// back
		JsonNode days = api.get("/stats/trends?bucket=day&caste=" + caste).json().get("points");
		int first = 0;
		while (days.get(first).get("spawns").asLong() == 0) {
			first++;
		}
		assertThat(first).as("the data begins within the default 30 days").isPositive();
		int start = Math.min(first, days.size() - 7);
		assertThat(this.browser.findElement(By.cssSelector("#trend-chart svg")).getDomAttribute("data-from"))
			.as("the chart's range fits the data")
			.isEqualTo(days.get(start).get("start").asString());
		for (WebElement line : series) {
			String model = line.getDomAttribute("data-model");
			JsonNode points = api.get("/stats/trends?bucket=day&caste=" + caste + "&model=" + model)
				.json()
				.get("points");
			int plotted = 0;
			double lastRate = Double.NaN;
			for (int i = start; i < points.size(); i++) {
				long completed = 0;
				long resolved = 0;
				for (int j = Math.max(0, i - 6); j <= i; j++) {
					completed += points.get(j).get("completed").asLong();
					resolved += points.get(j).get("completed").asLong() + points.get(j).get("failed").asLong()
							+ points.get(j).get("blocked").asLong();
				}
				if (resolved > 0) {
					plotted++;
					lastRate = (double) completed / resolved;
				}
			}
			assertThat(line.getDomAttribute("data-points")).as(model).isEqualTo(String.valueOf(plotted));
			assertThat(line.findElements(By.cssSelector("circle.dot"))).hasSize(plotted);
			assertThat(Double.parseDouble(line.getDomAttribute("data-last-rate"))).as(model)
				.isCloseTo(lastRate, org.assertj.core.data.Offset.offset(1e-12));
			assertThat(this.browser.findElement(By.cssSelector("#trend-legend [data-model='" + model + "']")).getText())
				.contains(model);
		}
		assertThat(this.browser.findElements(By.cssSelector("#trend-chart .band")))
			.as("one band, of the model chosen in the legend, so that bands never overlap")
			.hasSize(1);
		assertThat(this.browser.findElements(By.cssSelector("#trend-chart text.date")).size())
			.as("dates along the axis")
			.isBetween(3, 8);
	}

	/**
	 * Wherever a label wraps, it wraps between words or after a '/' or '-' of a model's
	 * name, never inside a word ("mode / l"): each character that starts a new line
	 * follows one of those.
	 */
	private void assertNoWordBrokenAcrossLines() {
		@SuppressWarnings("unchecked")
		List<String> broken = (List<String>) ((JavascriptExecutor) this.browser).executeScript("""
				const broken = [];
				for (const element of document.querySelectorAll('main *')) {
				  if (element.closest('svg') || element.getClientRects().length === 0) continue;
				  for (const node of element.childNodes) {
				    if (node.nodeType !== 3) continue;
				    const text = node.textContent;
				    let previousTop = null;
				    for (let i = 0; i < text.length; i++) {
				      const range = document.createRange();
				      range.setStart(node, i);
				      range.setEnd(node, i + 1);
				      const rect = range.getClientRects()[0];
				      if (!rect) continue;
				      if (previousTop !== null && rect.top > previousTop + 2 && i > 0 && !' /-·'.includes(text[i - 1])
				          && text[i] !== ' ') {
				        broken.push(text.slice(Math.max(0, i - 12), i) + ' | ' + text.slice(i, i + 12));
				      }
				      previousTop = rect.top;
				    }
				  }
				}
				return broken;
				""");
		assertThat(broken).as("labels broken inside a word").isEmpty();
	}

	/**
	 * In every caste's column, the cell marked best is the model /recommendations names
	 * for the caste, and no cell when it names none.
	 */
	private void assertBestModelMarkedAsRecommended(TestApi api) {
		JsonNode stats = api.get("/stats").json();
		java.util.Set<String> castes = new java.util.TreeSet<>();
		stats.get("models").forEach((model) -> castes.addAll(model.get("by_caste").propertyNames()));
		for (String caste : castes) {
			JsonNode recommended = api.get("/recommendations?caste=" + caste).json().get("recommended");
			List<WebElement> best = this.browser
				.findElements(By.cssSelector("#grid td.best[data-caste='" + caste + "']"));
			if (recommended.isNull()) {
				assertThat(best).as(caste).isEmpty();
			}
			else {
				assertThat(best).as(caste).hasSize(1);
				assertThat(best.get(0).getDomAttribute("data-model")).as(caste).isEqualTo(recommended.asString());
			}
		}
	}

	/**
	 * The grid's colours run from the lightest at the lowest rate shown to the darkest at
	 * the highest, so that neighbouring rates differ wherever the rates lie.
	 */
	private void assertColourRampSpansTheRatesShown() {
		List<WebElement> cells = this.browser.findElements(By.cssSelector("#grid td[data-model]:not(.unresolved)"));
		WebElement lowest = cells.stream().min(java.util.Comparator.comparingInt((cell) -> rate(cell))).orElseThrow();
		WebElement highest = cells.stream().max(java.util.Comparator.comparingInt((cell) -> rate(cell))).orElseThrow();
		assertThat(lowest.getCssValue("background-color")).isEqualTo("rgba(239, 243, 255, 1)");
		assertThat(highest.getCssValue("background-color")).isEqualTo("rgba(8, 69, 148, 1)");
	}

	private static int rate(WebElement cell) {
		return Integer.parseInt(cell.findElement(By.className("rate")).getText().replace("%", ""));
	}

	/**
	 * The caste's interval rows show the models, order and bounds /recommendations
	 * answers.
	 */
	private void assertAdviceMatches(TestApi api, String caste) {
		JsonNode advice = api.get("/recommendations?caste=" + caste).json();
		assertThat(new Select(this.browser.findElement(By.id("caste-select"))).getFirstSelectedOption().getText())
			.isEqualTo(caste);
		List<WebElement> rows = this.browser.findElements(By.cssSelector("#advice-chart .interval-row[data-model]"));
		assertThat(rows).hasSize(advice.get("models").size());
		for (int i = 0; i < rows.size(); i++) {
			JsonNode model = advice.get("models").get(i);
			WebElement row = rows.get(i);
			assertThat(row.getDomAttribute("data-model")).isEqualTo(model.get("model").asString());
			assertThat(row.getDomAttribute("data-insufficient"))
				.isEqualTo(String.valueOf(model.get("insufficient_data").asBoolean()));
			if (!model.get("wilson").isNull()) {
				assertThat(Double.parseDouble(row.getDomAttribute("data-low")))
					.isEqualTo(model.get("wilson").get("low").asDouble());
				assertThat(Double.parseDouble(row.getDomAttribute("data-high")))
					.isEqualTo(model.get("wilson").get("high").asDouble());
			}
		}
		JsonNode route = api.get("/routes/" + caste).json();
		for (WebElement row : rows) {
			JsonNode candidate = route.get("candidates")
				.valueStream()
				.filter((each) -> each.get("model").asString().equals(row.getDomAttribute("data-model")))
				.findFirst()
				.orElseThrow();
			WebElement routed = row.findElement(By.cssSelector(".routed"));
			assertThat(Double.parseDouble(routed.getDomAttribute("data-probability")))
				.as("the probability /routes answers for " + candidate.get("model").asString())
				.isEqualTo(candidate.get("probability").asDouble());
			assertThat(routed.getText()).as("the router's chance now, under its column").endsWith("%");
		}
		WebElement recommended = this.browser.findElement(By.id("recommended"));
		if (advice.get("recommended").isNull()) {
			assertThat(recommended.getText()).startsWith("No recommendation yet");
		}
		else {
			assertThat(recommended.getText()).isEqualTo(advice.get("recommended").asString());
		}
	}

	private void record(TestApi api, String model, String caste, int completed, int failed, int blocked, int open) {
		String[] outcomes = { "completed", "failed", "blocked" };
		int[] counts = { completed, failed, blocked };
		for (int o = 0; o < 3; o++) {
			for (int i = 0; i < counts[o]; i++) {
				api.recordOutcome(api.recordSpawn(caste, model, "task-based"), outcomes[o]);
			}
		}
		for (int i = 0; i < open; i++) {
			api.recordSpawn(caste, model, "task-based");
		}
	}

	private void backfill(TestApi api, String model, String caste, int daysAgo, String outcome, int count) {
		java.time.Instant at = java.time.Instant.now().minus(java.time.Duration.ofDays(daysAgo));
		for (int i = 0; i < count; i++) {
			TestApi.Response spawn = api.post("/spawns", "{\"caste\":\"" + caste + "\",\"model\":\"" + model
					+ "\",\"source\":\"task-based\",\"timestamp\":\"" + at + "\"}");
			assertThat(spawn.status()).as(spawn.body()).isEqualTo(201);
			TestApi.Response ended = api.put("/spawns/" + spawn.json().get("spawn_id").asString() + "/outcome",
					"{\"outcome\":\"" + outcome + "\",\"completed_at\":\"" + at.plusSeconds(60) + "\"}");
			assertThat(ended.status()).as(ended.body()).isEqualTo(200);
		}
	}

	private void awaitStatus(String state) {
		await().until((browser) -> state.equals(browser.findElement(By.id("status")).getDomAttribute("data-state")));
	}

	/**
	 * The page redraws as it polls: an element found a moment ago may have been replaced.
	 */
	private WebDriverWait await() {
		WebDriverWait wait = new WebDriverWait(this.browser, Duration.ofSeconds(30));
		wait.ignoring(StaleElementReferenceException.class);
		return wait;
	}

	private String text(By locator) {
		return this.browser.findElement(locator).getText();
	}

	private String url(String path) {
		return "http://localhost:" + this.service.port() + path;
	}

	private void screenshot(String name) throws IOException {
		Files.createDirectories(SCREENSHOTS);
		// the whole page, not only the window: as tall as the page for the moment of the
		// shot
		Dimension window = this.browser.manage().window().getSize();
		int height = ((Number) ((JavascriptExecutor) this.browser)
			.executeScript("return document.documentElement.scrollHeight")).intValue();
		this.browser.manage().window().setSize(new Dimension(window.getWidth(), Math.max(window.getHeight(), height)));
		byte[] png = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.BYTES);
		this.browser.manage().window().setSize(window);
		Files.write(SCREENSHOTS.resolve(name), png);
	}

}
