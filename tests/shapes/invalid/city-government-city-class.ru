# A city government whose dcterms:spatial is a prefecture, not a city.
# expect: Violation shapes:CityGovernmentShape-city sh:ClassConstraintComponent id:government/minami
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX cv: <http://data.europa.eu/m8g/>
INSERT DATA {
    <https://w3id.org/seirei/id/government/minami> a cv:PublicOrganisation ;
        <https://schema.org/url> <https://www.city.minami.example.org/> ;
        <http://www.w3.org/ns/prov#wasDerivedFrom> <https://www.city.minami.example.org/> ;
        <https://w3id.org/seirei/ontology#sourceCitation> "https://www.city.minami.example.org/" ;
        skos:prefLabel "Minami Prefecture government"@en, "南県庁"@ja ;
        dcterms:spatial <https://w3id.org/seirei/id/prefecture/minami> .
}
