# A web resource about a prefecture, not a city.
# expect: Violation shapes:WebPageShape-city sh:ClassConstraintComponent id:web-resource/kita-living
PREFIX dcterms: <http://purl.org/dc/terms/>
DELETE { <https://w3id.org/seirei/id/web-resource/kita-living> dcterms:spatial <https://w3id.org/seirei/id/city/kita> }
INSERT { <https://w3id.org/seirei/id/web-resource/kita-living> dcterms:spatial <https://w3id.org/seirei/id/prefecture/minami> }
WHERE { <https://w3id.org/seirei/id/web-resource/kita-living> dcterms:spatial <https://w3id.org/seirei/id/city/kita> }
