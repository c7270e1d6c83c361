# A listing about two cities (the second one fully valid, with its government).
# expect: Violation shapes:ListingShape-city sh:MaxCountConstraintComponent id:listing/kita-1
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX cv: <http://data.europa.eu/m8g/>
INSERT DATA {
    <https://w3id.org/seirei/id/listing/kita-1> dcterms:spatial <https://w3id.org/seirei/id/city/nishi> .
    <https://w3id.org/seirei/id/city/nishi> a schema:City ;
        <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q2> ;
        <https://w3id.org/seirei/ontology#standardAreaCode> <http://data.e-stat.go.jp/lod/sac/C01101> ;
        skos:prefLabel "Nishi City"@en, "西市"@ja ;
        seirei:dantaiCode "011011" ;
        schema:containedInPlace <https://w3id.org/seirei/id/prefecture/minami> ;
        seirei:designationDate "1980-04-01"^^xsd:date .
    <https://w3id.org/seirei/id/government/nishi> a cv:PublicOrganisation ;
        <https://schema.org/url> <https://www.city.nishi.example.org/> ;
        <http://www.w3.org/ns/prov#wasDerivedFrom> <https://www.city.nishi.example.org/> ;
        <https://w3id.org/seirei/ontology#sourceCitation> "https://www.city.nishi.example.org/" ;
        skos:prefLabel "Nishi City government"@en, "西市"@ja ;
        dcterms:spatial <https://w3id.org/seirei/id/city/nishi> .
}
