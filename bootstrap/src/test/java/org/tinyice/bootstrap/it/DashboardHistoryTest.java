package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history page's JSON against the real server and SQLite: songs set through Icecast's
 * {@code /admin/metadata} come back newest first; the listener chart of a day, a week and a year has one
 * point per 5 minutes, hour and day, made from minutes and rolled-up hours; a dj reads only its own
 * mounts; bad parameters get 400.
 */
class DashboardHistoryTest {

    static final String CONFIG = """
            {"users": [
               {"name": "dj-anna", "password": "anna-password", "role": "dj", "mounts": ["/anna"]},
               {"name": "dj-bob", "password": "bob-password", "role": "dj", "mounts": ["/bob"]}
             ]}
            """;
    /** One chart point: time, mean listeners, peak, minutes. */
    static final Pattern POINT = Pattern.compile(
            "\\{\"time\":\"([^\"]+)\",\"listeners\":(\\d+),\"peak\":(\\d+),\"minutes\":(\\d+)}");

    @TempDir
    static Path dir;
    static TestServer server;
    static Instant now;

    record Point(Instant time, int listeners, int peak, int minutes) {
    }

    /**
     * Before the server starts: 2 hours of minutes at 4 listeners (peak 6) ending 10 minutes ago, one hour
     * at 8 (peak 9) three days ago, and 100 days ago one hour whose minutes alternate 2 and 4 (peak 11),
     * rolled up into an hour as the retention job does.
     */
    @BeforeAll
    static void start() throws Exception {
        now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        try (HistorySeed seed = HistorySeed.open(dir)) {
            for (Instant t = now.minus(Duration.ofMinutes(130)); t.isBefore(now.minus(Duration.ofMinutes(10)));
                 t = t.plus(Duration.ofMinutes(1))) {
                seed.minute("/anna", t, 4, 6);
            }
            Instant threeDaysAgo = now.minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
            for (int m = 0; m < 60; m++) {
                seed.minute("/anna", threeDaysAgo.plus(Duration.ofMinutes(m)), 8, 9);
            }
            Instant longAgo = now.minus(Duration.ofDays(100)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(12));
            for (int m = 0; m < 60; m++) {
                seed.minute("/anna", longAgo.plus(Duration.ofMinutes(m)), m % 2 == 0 ? 2 : 4, m == 30 ? 11 : 4);
            }
            seed.rollUp(now.minus(Duration.ofDays(7)));
        }
        server = TestServer.start(dir, CONFIG);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<String> titles(String json) {
        return Pattern.compile("\"title\":\"([^\"]*)\"").matcher(json).results().map(r -> r.group(1)).toList();
    }

    static List<Point> points(String json) {
        return POINT.matcher(json).results().map(r -> new Point(Instant.parse(r.group(1)),
                Integer.parseInt(r.group(2)), Integer.parseInt(r.group(3)), Integer.parseInt(r.group(4)))).toList();
    }

    static HttpResponse<String> chart(DashboardClient client, String range) throws Exception {
        HttpResponse<String> answer = client.get("/admin/listener-chart?mount=/anna&range=" + range);
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(answer.body().startsWith("{\"mount\":\"/anna\",\"range\":\"" + range + "\",\"from\":\""),
                answer.body());
        return answer;
    }

    @Test
    void titlesSetThroughIcecastAreListedNewestFirst() throws Exception {
        DashboardClient anna = DashboardClient.loggedIn(server, "dj-anna", "anna-password");
        TestServer.Remote icecast = new TestServer.Remote(server.port());
        try (RawSource source = new RawSource(server, "/anna", (byte) 1)) {
            Eventually.await(Duration.ofSeconds(5), "/anna is live", () -> server.statusJson().contains("/anna\""));
            for (String title : List.of("First Artist - First Song", "Second Artist - Second Song")) {
                String answer = icecast.adminGet("/admin/metadata?mode=updinfo&mount=/anna&song="
                        + title.replace(" ", "%20"));
                assertTrue(answer.contains("Metadata update successful"), answer);
                Thread.sleep(50); // distinct start times
            }
        }
        List<String> expected = List.of("Second Artist - Second Song", "First Artist - First Song");
        Eventually.await(Duration.ofSeconds(10), "both titles in the history",
                () -> titles(anna.get("/admin/songs?mount=/anna").body()).equals(expected));

        String body = anna.get("/admin/songs?mount=/anna").body();
        assertTrue(body.startsWith("{\"mount\":\"/anna\",\"songs\":[{\"title\":\"Second Artist - Second Song\","
                + "\"artist\":\"Second Artist\",\"song\":\"Second Song\",\"started\":\""), body);
        assertTrue(body.contains("\"listeners\":0}"), body);
        HttpResponse<String> newest = anna.get("/admin/songs?mount=/anna&limit=1");
        assertEquals(200, newest.statusCode());
        assertEquals(expected.subList(0, 1), titles(newest.body()));
        Matcher started = Pattern.compile("\"started\":\"([^\"]+)\"").matcher(newest.body());
        assertTrue(started.find(), newest.body());
        // encoded, as the page does: Helidon 4.2.0 answers a bare ':' in a query with 400 (helidon#9862)
        HttpResponse<String> older = anna.get("/admin/songs?mount=/anna&before="
                + DashboardClient.encode(started.group(1)));
        assertEquals(expected.subList(1, 2), titles(older.body()), older.body());

        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        assertEquals(expected, titles(admin.get("/admin/songs?mount=/anna&limit=500").body()));
    }

    @Test
    void aDayIsFiveMinutePointsAWeekHourlyAYearDaily() throws Exception {
        DashboardClient anna = DashboardClient.loggedIn(server, "dj-anna", "anna-password");

        String day = chart(anna, "day").body();
        assertTrue(day.contains("\"step_seconds\":300,\"points\":["), day);
        List<Point> dayPoints = points(day);
        List<Point> seeded = dayPoints.stream().filter(p -> p.peak() == 6).toList();
        // 120 minutes ending 10 minutes ago: 24 or 25 steps of 5 minutes, depending on how they fall
        assertTrue(seeded.size() >= 24 && seeded.size() <= 25, day);
        assertTrue(seeded.stream().allMatch(p -> p.listeners() == 4 && p.minutes() <= 5), day);
        assertEquals(120, seeded.stream().mapToInt(Point::minutes).sum(), day);
        assertTrue(dayPoints.stream().allMatch(p -> p.time().getEpochSecond() % 300 == 0), day);
        assertTrue(dayPoints.stream().noneMatch(p -> p.peak() == 9), "three days ago is not in the day: " + day);
        assertTrue(dayPoints.size() <= 289, day);

        String week = chart(anna, "week").body();
        assertTrue(week.contains("\"step_seconds\":3600,\"points\":["), week);
        List<Point> weekPoints = points(week);
        assertTrue(weekPoints.contains(new Point(now.minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS), 8, 9,
                60)), week);
        assertTrue(weekPoints.stream().allMatch(p -> p.time().getEpochSecond() % 3600 == 0), week);
        assertTrue(weekPoints.size() <= 169, week);

        String year = chart(anna, "year").body();
        assertTrue(year.contains("\"step_seconds\":86400,\"points\":["), year);
        List<Point> yearPoints = points(year);
        Instant longAgo = now.minus(Duration.ofDays(100)).truncatedTo(ChronoUnit.DAYS);
        assertTrue(yearPoints.contains(new Point(longAgo, 3, 11, 60)), "the rolled-up hour, alone in its day: " + year);
        assertTrue(yearPoints.stream().anyMatch(p -> p.peak() == 9 && p.listeners() == 8), year);
        assertTrue(yearPoints.stream().allMatch(p -> p.time().getEpochSecond() % 86400 == 0), year);
        assertTrue(yearPoints.size() <= 366, year);
    }

    @Test
    void aDjReadsOnlyItsOwnMounts() throws Exception {
        DashboardClient bob = DashboardClient.loggedIn(server, "dj-bob", "bob-password");
        for (String path : List.of("/admin/songs?mount=/anna", "/admin/listener-chart?mount=/anna&range=day",
                "/admin/listener-chart?mount=/anna&range=nonsense")) {
            HttpResponse<String> answer = bob.get(path);
            assertEquals(403, answer.statusCode(), path);
            assertEquals("{\"error\":\"not allowed for your account\"}", answer.body(), path);
        }
        HttpResponse<String> own = bob.get("/admin/songs?mount=/bob");
        assertEquals(200, own.statusCode());
        assertEquals("{\"mount\":\"/bob\",\"songs\":[]}", own.body());
        HttpResponse<String> chart = bob.get("/admin/listener-chart?mount=/bob&range=week");
        assertEquals(200, chart.statusCode());
        assertTrue(chart.body().endsWith("\"step_seconds\":3600,\"points\":[]}"), chart.body());
    }

    @Test
    void anonymousRequestsGet401AndThePageRedirects() throws Exception {
        DashboardClient anonymous = new DashboardClient(server);
        for (String path : List.of("/admin/songs?mount=/anna", "/admin/listener-chart?mount=/anna&range=day")) {
            HttpResponse<String> answer = anonymous.get(path);
            assertEquals(401, answer.statusCode(), path);
            assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(""), path);
        }
        HttpResponse<String> page = anonymous.get("/admin/history");
        assertEquals(303, page.statusCode());
        assertEquals("/admin/login", page.headers().firstValue("Location").orElseThrow());

        DashboardClient anna = DashboardClient.loggedIn(server, "dj-anna", "anna-password");
        HttpResponse<String> html = anna.get("/admin/history");
        assertEquals(200, html.statusCode());
        assertTrue(html.body().contains("<script type=\"module\" src=\"/static/history.js\"></script>"), html.body());
        for (String file : List.of("/static/history.js", "/static/history.css")) {
            assertEquals(200, anonymous.get(file).statusCode(), file);
        }
    }

    @Test
    void badParametersGet400WithTheReason() throws Exception {
        DashboardClient anna = DashboardClient.loggedIn(server, "dj-anna", "anna-password");
        List<List<String>> cases = List.of(
                List.of("/admin/listener-chart?mount=/anna&range=month", "range must be day, week or year"),
                List.of("/admin/listener-chart?mount=/anna", "range must be day, week or year"),
                List.of("/admin/listener-chart?range=day", "name a mount, e.g. ?mount=/live"),
                List.of("/admin/songs?mount=/anna&limit=0", "limit must be a whole number from 1 to 500"),
                List.of("/admin/songs?mount=/anna&limit=501", "limit must be a whole number from 1 to 500"),
                List.of("/admin/songs?mount=/anna&limit=ten", "limit must be a whole number from 1 to 500"),
                List.of("/admin/songs?mount=/anna&before=yesterday",
                        "before must be an ISO-8601 time, e.g. 2026-11-24T14:32:00Z"));
        for (List<String> c : cases) {
            HttpResponse<String> answer = anna.get(c.get(0));
            assertEquals(400, answer.statusCode(), c.get(0));
            assertEquals("{\"error\":\"" + c.get(1) + "\"}", answer.body(), c.get(0));
        }
    }
}
