package io.livestage.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import static io.livestage.session.Api.action;
import static io.livestage.session.Api.as;
import static io.livestage.session.Api.createdId;
import static io.livestage.session.Api.newUser;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class SessionListTest {

    private static List<String> walk(String host, String query, int limit, List<Integer> pageSizes) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = as(host).get("/api/sessions?host=me&limit=" + limit + query
                    + (cursor == null ? "" : "&cursor=" + cursor)).then().statusCode(200).extract().jsonPath();
            List<String> pageIds = page.getList("items.id");
            pageSizes.add(pageIds.size());
            ids.addAll(pageIds);
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return ids;
    }

    @Test
    void cursorPaginationWalksEverySessionOnceNewestFirst() {
        String host = newUser("pager");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            created.add(createdId(host, Map.of("title", "Session " + i, "kind", i % 2 == 0 ? "AUDIO" : "VIDEO")));
        }
        List<Integer> sizes = new ArrayList<>();
        List<String> listed = walk(host, "", 20, sizes);
        assertThat(sizes).containsExactly(20, 20, 5);
        assertThat(listed).doesNotHaveDuplicates().hasSize(45);
        assertThat(listed).containsExactlyElementsOf(created.reversed());
    }

    @Test
    void signedInViewersSeeEveryPublicSessionAndAllTheirOwnNewestFirstAcrossPages() {
        String me = newUser("me");
        String other = newUser("other");
        String space = "merge-" + me;
        List<String> mine = new ArrayList<>();
        List<String> myPrivate = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String owner = i % 4 == 3 ? other : me;
            String visibility = owner.equals(me) && i % 2 == 1 ? "PRIVATE" : "PUBLIC";
            String id = createdId(owner, Map.of("title", "S" + i, "kind", "AUDIO", "spaceId", space, "visibility", visibility));
            mine.add(id);
            if (visibility.equals("PRIVATE")) {
                myPrivate.add(id);
            }
        }
        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = as(me).get("/api/sessions?limit=2&space=" + space + (cursor == null ? "" : "&cursor=" + cursor))
                    .then().statusCode(200).extract().jsonPath();
            walked.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(walked).containsExactlyElementsOf(mine.reversed());

        List<String> seenByOther = as(other).get("/api/sessions?limit=100&space=" + space).then().statusCode(200)
                .extract().jsonPath().getList("items.id");
        assertThat(myPrivate).hasSize(2);
        assertThat(seenByOther).hasSize(6).doesNotContainAnyElementsOf(myPrivate);
    }

    @Test
    void filtersCombine() {
        String host = newUser("filter");
        Map<String, String> spaceOf = new HashMap<>();
        String liveA = createdId(host, Map.of("title", "A", "kind", "AUDIO", "spaceId", "space-a"));
        String liveB = createdId(host, Map.of("title", "B", "kind", "AUDIO", "spaceId", "space-b"));
        String idleA = createdId(host, Map.of("title", "C", "kind", "AUDIO", "spaceId", "space-a"));
        String privA = createdId(host, Map.of("title", "D", "kind", "AUDIO", "spaceId", "space-a", "visibility", "PRIVATE"));
        spaceOf.put(liveA, "space-a");
        action(host, liveA, "start").then().statusCode(200);
        action(host, liveB, "start").then().statusCode(200);

        assertThat(walk(host, "&status=ACTIVE", 10, new ArrayList<>())).containsExactly(liveB, liveA);
        assertThat(walk(host, "&status=ACTIVE&space=space-a", 10, new ArrayList<>())).containsExactly(liveA);
        assertThat(walk(host, "&space=space-a", 1, new ArrayList<>())).containsExactly(privA, idleA, liveA);
        assertThat(walk(host, "&space=space-a&visibility=PUBLIC", 10, new ArrayList<>())).containsExactly(idleA, liveA);

        List<String> publicView = Api.anonymous().get("/api/sessions?space=space-a&limit=100").then().statusCode(200)
                .extract().jsonPath().getList("items.id");
        assertThat(publicView).contains(liveA, idleA).doesNotContain(privA);
    }
}
